# すべてのメールに付く共通の結び（renderMail が追加します）。
mail-footer =
    このメールは OMNIPAY から自動送信されています。このメールには返信できません。
    お心当たりのない場合は、このメールを破棄してください。お客様の操作なしに変更が行われることはありません。

# 運用者向け: メール配信の確認（テンプレート test-mail）。
mail-test-mail-subject = 【OMNIPAY テストメール】配信確認
mail-test-mail-text =
    こんにちは。

    これは OMNIPAY Assistant からのテストメールです（{ $sentAt } に送信予約）。
    このメールが読めれば、メール配信は正常です。

    参照番号: { $reference }
