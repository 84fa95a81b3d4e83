/** Action ids of the desk's buttons (values are the id of the member, card, usage, charge or request). */
export const ACTION = {
  /** Also on the log-in-locked alert the Slack runner posts (value: member id). */
  unlockLogin: 'desk.unlock-login',
  resetPinLock: 'desk.reset-pin-lock',
  resendActivation: 'desk.resend-activation',
  freeze: 'desk.freeze',
  unfreeze: 'desk.unfreeze',
  refund: 'desk.refund',
  reverse: 'desk.reverse',
  history: 'desk.history',
  pick: 'desk.pick',
  approve: 'desk.approve',
  reject: 'desk.reject',
  repost: 'desk.repost',
} as const;

/** Callback ids of the desk's modals. */
export const VIEW = {
  /** A reason, then an unlocking action at once (unlock log-in, reset PIN lock). */
  confirm: 'desk.confirm',
  /** Amount and reason of a refund or reversal, which then waits for approval. */
  money: 'desk.money',
  /** Two days for a history export. */
  history: 'desk.history',
} as const;

/** Block ids of modal inputs (each input's action id is `value`). */
export const INPUT = { reason: 'reason', amount: 'amount', from: 'from', to: 'to' } as const;
