# Shared by every e-mail (appended by renderMail).
mail-footer =
    This e-mail was sent automatically by OMNIPAY. Please do not reply to it.
    If you did not expect it, you can ignore it; nothing changes without you.

# Operator: checks that e-mail delivery works (template test-mail).
mail-test-mail-subject = [OMNIPAY Test E-mail] Delivery check
mail-test-mail-text =
    Hello,

    This is a test e-mail from OMNIPAY Assistant, queued at { $sentAt }.
    If you can read it, e-mail delivery works.

    Reference: { $reference }
