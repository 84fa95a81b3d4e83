## お金: チャージ、残高、履歴、設定、利用通知

menu-charge = カードチャージ
menu-balance = 残高照会
menu-history = 入出金履歴
menu-settings = 設定

## カードチャージ
charge-choose-card = どのカードにチャージしますか？
charge-currency-button = { $currency }
charge-ask-from = カード •••• { $last4 }。［引落通貨］（お支払いになる通貨）を選択してください。
charge-ask-to = お支払いは { $from } です。次に［チャージ通貨］（カードに入る通貨）を選択してください（同じ通貨も選べます）。
charge-bad-currency = 通貨のボタンを押すか、通貨コードを入力してください（例: USD）。
charge-ask-amount =
    金額を入力してください。カードに入る金額は { $to } で（例: 100 または 100 { $to }）、
    お支払いになる金額は { $from } で入力できます（例: 15000 { $from }）。
charge-ask-amount-same = チャージする金額を { $to } で入力してください（例: 10000 { $to }）。
charge-quote =
    <b>選択・入力した内容に誤りがないかご確認ください。</b>
    カード: <code>•••• { $last4 }</code>
    お支払い額: <b>{ $pay }</b>（うち手数料 { $fee }）
    チャージ額: <b>{ $get }</b>
    レート: { $rate }
    この見積もりは { $minutes } 分間（{ $until } まで）有効です。
charge-quote-same =
    <b>選択・入力した内容に誤りがないかご確認ください。</b>
    カード: <code>•••• { $last4 }</code>
    お支払い額: <b>{ $pay }</b>（うち手数料 { $fee }）
    チャージ額: <b>{ $get }</b>
    この見積もりは { $minutes } 分間（{ $until } まで）有効です。
charge-btn-confirm = 確定
charge-btn-change = 変更
charge-use-buttons = 「確定」「変更」「キャンセル」のいずれかを押してください。
charge-quote-expired = 見積もりの有効期限が切れたため、現在のレートで新しい見積もりを作成しました。
charge-received =
    <b>チャージを受け付けました。</b>受付番号: <code>{ $reference }</code>
    お支払い額 <b>{ $pay }</b>。入金が確認されるとカードに <b>{ $get }</b> がチャージされ、このチャットとメールでお知らせします。
charge-pay-sandbox = お支払い方法: サンドボックスのため実際のお支払いは不要です。<code>{ $reference }</code>（<b>{ $amount }</b>）の入金は約 { $seconds } 秒後に自動で確認されます。
charge-pay-external = お支払い方法: 届いた支払いリンクまたは銀行振込で <b>{ $amount }</b> をお支払いください（受付番号 <code>{ $reference }</code> を記載）。{ $hours } 時間以内にお支払いがない場合は無効になります。
charge-completed = <b>チャージが完了しました:</b> カード •••• { $last4 } に <b>{ $amount }</b> をチャージしました（受付番号 <code>{ $reference }</code>）。［カードチャージ完了のお知らせ］メールをお送りします。
charge-failed = チャージ { $reference }（{ $amount }）のお支払いが失敗しました。チャージは行われていません。カードチャージからやり直せます。
charge-expired = チャージ { $reference }（{ $amount }）は入金がなかったため無効になりました。チャージは行われていません。いつでも新しくチャージできます。
charge-held-late = チャージ { $reference } のお支払い { $amount } を、そのチャージが終了した後に受け取りました。カードへのチャージはまだ行われていません。サポートがカードへの反映かご返金のどちらかを行い、こちらでお知らせします。
charge-held-card-closed = チャージ { $reference } のお支払い { $amount } を受け取りましたが、カード •••• { $last4 } は利用を終了しているため、チャージは行われていません。サポートがお客様のカードへの反映かご返金のどちらかを行い、こちらでお知らせします。
charge-payment-returned = チャージ { $reference } のお支払い { $amount } を、お支払いいただいた方法でご返金します。カードへのチャージは行われていません。
charge-reversed = サポートがチャージ { $reference } を取り消しました。カード •••• { $last4 } から { $amount } を差し引き、{ $returned } をお支払いいただいた方法でご返金します。残高: { $balance }。

charge-err-money-empty = 金額を入力してください（例: 100）。
charge-err-money-not-a-number = 金額として読み取れません。数字で入力してください（例: 1,000、12.50、100 USD）。
charge-err-money-too-many-decimals = その通貨では小数点以下の桁数が多すぎます（JPY は 0 桁、USD は 2 桁、KWD は 3 桁）。例: 12.50 USD、1000 JPY。
charge-err-money-negative = 金額は正の数で入力してください（例: 100）。
charge-err-money-zero = 金額は 0 より大きく、換算できる額にしてください（例: 100）。
charge-err-money-too-large = 金額が大きすぎます。現実的な金額を入力してください（例: 50000）。
charge-err-money-unknown-currency = その通貨には対応していません。{ $from } または { $to } を使ってください（例: 100 { $to }）。
charge-err-money-currency-mismatch = このチャージでは { $from } または { $to } を使ってください（例: 100 { $to }）。
charge-err-money-bad-rate = この通貨ペアの為替レートは現在使用できません。しばらくしてからお試しください。
charge-err-charge-card-unavailable = このカードにはチャージできません。「マイカード」でご確認ください。
charge-err-charge-card-frozen = カード •••• { $last4 } は凍結中のためチャージできません。先に「マイカード」で凍結を解除してください。
charge-err-charge-currency-not-offered = { $currency } でのチャージには対応していません。
charge-err-charge-no-rate = { $from } から { $to } への為替レートがまだないため、この組み合わせではチャージできません。別の通貨を選んでください。
charge-err-charge-rate-stale = 為替レートが古いため、{ $from } から { $to } へのチャージを一時停止しています。サポートに連絡済みです。しばらくしてからお試しいただくか、別の通貨を選んでください。
charge-err-charge-below-min = 1 回のチャージの最低額は { $limit } です。{ $limit } 以上を入力してください。
charge-err-charge-above-max = 1 回のチャージの上限は { $limit } です。少ない金額を入力してください。
charge-err-charge-daily-limit = 1 日のチャージ上限 { $limit } を超えます。本日（{ $zone } の { $day }。1 日の上限は運営会社のタイムゾーンの日付で数えます）はあと { $left } までチャージできます。
charge-err-charge-balance-limit = カードの残高上限 { $limit } を超えます。あと { $left } までチャージできます。
charge-which-reading = その数字は、{ $pay } のお支払いとも、カードへの { $get } のチャージとも読めます。どちらの意味ですか？通貨を付けて金額を入力することもできます。
charge-btn-reading-pay = { $pay } を支払う → { $get }
charge-btn-reading-get = { $get } をチャージ
charge-reading-taken-pay = お支払い額 { $pay } として受け付けました。カードへのチャージ額として読むと、チャージの上限・下限を外れるためです。
charge-reading-taken-receive = カードへのチャージ額 { $get } として受け付けました。お支払い額として読むと、チャージの上限・下限を外れるためです。
charge-other-reading-fits = { $otherTyped } として読むと（{ $otherPay } を支払い → { $otherGet }）上限内です。その場合は { $otherTyped } と入力してください。
charge-err-charge-quote-not-found = この見積もりは利用できません。カードチャージを最初からやり直してください。
charge-err-charge-quote-expired = 見積もりの有効期限が切れました。カードチャージを最初からやり直してください。
charge-err-charge-not-found = そのチャージは見つかりません。
charge-err-charge-not-pending = そのチャージはすでに完了または終了しています。

## カード利用通知
usage-approved-purchase = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } での
   *[no] {""}
}{ $amount } のお買い物が承認されました。残高: { $balance }。
usage-approved-atm = カード •••• { $last4 }: ATM での { $amount } の引き出しが承認されました。残高: { $balance }。
usage-approved-refund = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } から
   *[no] {""}
}{ $amount } の返金がありました。残高: { $balance }。
usage-refunded-support = カード •••• { $last4 }: サポートが{ $hasMerchant ->
    [yes] { $merchant } でのご利用分
   *[no] ご利用分
}の { $amount } を返金しました。残高: { $balance }。
usage-declined-insufficient-funds = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } での
   *[no] {""}
}{ $amount } の{ $kind ->
    [atm] ATM での引き出し
    [refund] 返金
   *[other] お買い物
}は、その通貨の残高不足（{ $balance }）のため承認されませんでした。カードにチャージしてからご利用ください。
usage-declined-card-frozen = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } での
   *[no] {""}
}{ $amount } の{ $kind ->
    [atm] ATM での引き出し
    [refund] 返金
   *[other] お買い物
}は、カードが凍結中のため承認されませんでした。
usage-declined-card-closed = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } での
   *[no] {""}
}{ $amount } の{ $kind ->
    [atm] ATM での引き出し
    [refund] 返金
   *[other] お買い物
}は、カードが解約済みのため承認されませんでした。
usage-declined-card-not-enrolled = カード •••• { $last4 }: { $hasMerchant ->
    [yes] { $merchant } での
   *[no] {""}
}{ $amount } の{ $kind ->
    [atm] ATM での引き出し
    [refund] 返金
   *[other] お買い物
}は、カードが未登録のため承認されませんでした。

## 残高照会
balance-none = 登録済みのカードがありません。「カード登録」で郵送されたカードを登録してください。
balance-list =
    <b>残高:</b>

    { $linesHtml }
balance-card = <b>カード •••• { $last4 }</b>
balance-card-frozen = <b>カード •••• { $last4 }</b>（凍結中）
balance-line = • <b>{ $balance }</b>
balance-line-pending = • <b>{ $balance }</b>（入金待ちのチャージ: { $pending }）

## 入出金履歴
history-ask = 表示したい期間を mm/dd/yyyy で入力してください。1 通にまとめて（例: 11/01/2026 - 11/30/2026）、または開始日と終了日を順に入力できます。下のボタンからも選べます。
history-ask-to = 開始日 { $from }。終了日を mm/dd/yyyy で入力してください（例: 11/30/2026）。
history-btn-last7 = 過去 7 日間
history-btn-this-month = 今月
history-btn-last-month = 先月
history-err-bad-format = 日付は mm/dd/yyyy で入力してください（例: 11/01/2026 - 11/30/2026）。
history-err-impossible-date = { $date } は存在しない日付です。ご確認ください（例: 02/28/2026）。
history-err-day-first = { $date } は存在しない日付です。日付は 月/日/年 の順です。{ $swapped } のことですか？
history-type-period = 下のボタンをお使いいただくか、新しい期間を mm/dd/yyyy で入力してください（例: 11/01/2026 - 11/30/2026）。
history-err-reversed = 終了日（{ $to }）が開始日（{ $from }）より前です。早い日付を先に入力してください（例: 11/01/2026 - 11/30/2026）。
history-err-too-long = 期間は最長 1 年です。短い期間を選んでください（例: 01/01/2026 - 12/31/2026）。
history-err-future = その期間は未来です（本日は { $today }）。本日までの日付を選んでください（例: 11/01/2026 - { $today }）。
history-ready = 期間: { $from } - { $to }。
history-ready-clamped = 期間: { $from } - { $to }（終了日は本日に合わせました。それ以降の日はまだ来ていません）。
history-btn-view = 取引を表示
history-btn-change = 期間を変更
history-empty = { $from } から { $to } までの入出金はありません。
history-page =
    <b>入出金 { $from } - { $to }</b>（{ $pages } ページ中 { $page } ページ目、全 { $count } 件、新しい順）:
    <pre>{ $lines }</pre>

    <b>合計:</b>
    { $totalsHtml }
history-line = { $when } · { $kind } { $memo } · •••• { $last4 } · { $amount }
history-total = { $currency }: 入金 <b>{ $in }</b>、出金 <b>{ $out }</b>
history-kind-charge = チャージ
history-kind-purchase = お買い物
history-kind-atm = ATM 引き出し
history-kind-refund = 返金
history-kind-reversal = 取消
history-kind-transfer = カード再発行による移し替え
history-btn-prev = ◀ 前へ
history-btn-next = 次へ ▶
history-btn-csv = CSV をダウンロード
history-btn-new-period = 別の期間
history-btn-done = 終了
history-csv-caption = 取引明細（CSV）です。
history-csv-sent = 明細を送信しました。
history-btn-chart = グラフ
history-chart-title = 残高と日ごとの入出金 { $from } - { $to }
history-chart-balance = 残高
history-chart-in = 入金
history-chart-out = 出金
history-chart-caption =
    <b>グラフ { $from } - { $to }</b>: 線は各日の終わりの残高、棒は日ごとの入金と出金です。
    { $totalsHtml }

## 設定
settings-usage-on = カード利用通知: オン（お買い物・ATM 引き出し・返金のたびにお知らせします）。
settings-usage-off = カード利用通知: オフ。
settings-btn-turn-off = オフにする
settings-btn-turn-on = オンにする
settings-btn-done = 終了
settings-use-buttons = 下のボタンをお使いください。
settings-saved = 保存しました。
settings-show-on =
    { settings-usage-on }
    { settings-zone-line }
settings-show-off =
    { settings-usage-off }
    { settings-zone-line }
settings-zone-line = <b>タイムゾーン:</b> { $zone }。入出金履歴の日付と表示する時刻はこのタイムゾーンです。1 日のチャージ上限は { $operatorZone } の日付で数えます。
settings-btn-zone = タイムゾーン
settings-btn-back = 戻る
settings-zone-button = { $zone }
settings-zone-ask = 下からタイムゾーンを選ぶか、名前を入力してください（例: Asia/Tokyo、Europe/London、New York）。現在: <b>{ $zone }</b>。
settings-zone-unknown = そのタイムゾーンはわかりません。Asia/Tokyo、Europe/London、America/New_York のような名前（都市名だけでも可、例: London）を入力するか、下から選んでください。

## メール: ［カードチャージ完了のお知らせ］
mail-charge-completed-subject = [カードチャージ完了のお知らせ] [Card Charge Completion Notification]
mail-charge-completed-text =
    { $name } 様

    カードへのチャージが完了しました。

    受付番号: { $reference }
    カード: •••• { $last4 }
    チャージ額: { $amount }
    お支払い額: { $paid }（うち手数料 { $fee }）
    完了日時: { $completedAt }

    お心当たりのない場合は、OMNIPAY アシスタントとのチャットで［サポートに相談］を押してください（/support でも相談できます）。

## メール: ［カードチャージ取消のお知らせ］
mail-charge-reversed-subject = [カードチャージ取消のお知らせ] [Card Charge Reversal Notification]
mail-charge-reversed-text =
    { $name } 様

    サポートがカードへのチャージを取り消しました。

    受付番号: { $reference }
    カード: •••• { $last4 }
    カードから差し引いた額: { $amount }
    ご返金額: { $returned }
    取消日時: { $reversedAt }

    ご返金はお支払いいただいた方法で行われます。お心当たりのない場合は、OMNIPAY アシスタントとのチャットで［サポートに相談］を押してください（/support でも相談できます）。

## お知らせのクイック操作（src/app/notices.ts）
notice-btn-balance = 残高照会
notice-btn-charge-again = もう一度チャージ
notice-btn-freeze = カード •••• { $last4 } を停止
notice-btn-not-me = 身に覚えがない：サポートに相談
