captcha-prompt = 画像に表示されている文字を、そのとおりに入力してください。大文字と小文字は区別されます（例: hN7qE）。読みにくい場合は［再表示］を押すと新しい画像になります。
captcha-btn-reload = 再表示
captcha-wrong = 画像の文字と一致しません。大文字と小文字は区別されます。新しい画像を表示します。
captcha-expired = この画像は有効期限が切れたか、すでに使われています。新しい画像を表示します。
captcha-paused = 間違いが続いたため、安全のため { $minutes } 分ほどお待ちになってから、もう一度お試しください。
captcha-type-it = 画像に表示されている文字を入力してください（例: hN7qE）。新しい画像にするには［再表示］を押してください。
captcha-correct = 正解です。下のボタンを押して続けてください。
# 正解後の確定ボタン（ガイドの表記どおり）。親フローが `confirm` で指定します。
captcha-btn-submit = 送信
captcha-btn-activate = 有効化（ACTIVATE）
captcha-btn-continue = 続ける（CONTINUE）
captcha-btn-enroll = 登録（ENROLL）
