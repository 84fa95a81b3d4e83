/** Stable codes of what can go wrong with a card request. */
export type CardErrorCode =
  | 'CARD.NOT_FOUND'
  | 'CARD.AMBIGUOUS'
  | 'CARD.BAD_EMAIL'
  | 'CARD.BAD_CURRENCY'
  | 'CARD.BAD_NUMBER'
  | 'CARD.BAD_PIN'
  | 'CARD.CLOSED'
  | 'CARD.NOT_ALLOWED';

/** A card operation refused; `message` is one line fit for an operator (never holds a secret). */
export class CardError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
  ) {
    super(message);
  }
}
