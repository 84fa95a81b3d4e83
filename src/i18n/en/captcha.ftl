captcha-prompt = Enter the characters shown in the image, exactly as shown: capitals matter (for example: hN7qE). If it is hard to read, press [Reload] for a new one.
captcha-btn-reload = Reload
captcha-wrong = That does not match the image. Capitals matter. Here is a new image.
captcha-expired = That image has expired or was already used. Here is a new one.
captcha-paused = Too many wrong answers in a row. For your security, please wait { $minutes ->
    [one] 1 minute
    *[other] { $minutes } minutes
    } and try again.
captcha-type-it = Please type the characters shown in the image (for example: hN7qE), or press [Reload] for a new image.
captcha-correct = Correct. Press the button below to continue.
# Confirm buttons after a right answer, named as in the guide; parents pass one as `confirm`.
captcha-btn-submit = Submit
captcha-btn-activate = ACTIVATE
captcha-btn-continue = CONTINUE
captcha-btn-enroll = ENROLL
