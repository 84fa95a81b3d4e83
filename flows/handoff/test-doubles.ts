/** Test doubles of the hand-off's side effects for the model-based tests (test/flows/model). */
export const flowId = 'support';

const open = { ticketId: 't1', ticket: 'SUP-00001' };

/** Every outcome worth exploring, by actor name. */
export const testDoubles = {
  'support status': [{ open: null, left: 3, max: 3, available: true }, { open, left: 2, max: 3, available: true }, { open: null, left: 0, max: 3, available: true }, { open: null, left: 3, max: 3, available: false }],
  'open ticket': [{ ok: true, ...open }, { ok: false, reason: 'open', ...open }, { ok: false, reason: 'limit', max: 3 }],
  'relay message': [{ status: 'sent' }, { status: 'closed' }, { status: 'refused', what: 'password' }, { status: 'slow' }],
  'close ticket': [{ closed: true, ticket: 'SUP-00001' }, { closed: false, ticket: 'SUP-00001' }],
};

/** Texts a cardholder might send support, safe and secret. */
export const sampleTexts = ['My card was declined at a shop', '4111 1111 1111 1111', 'my PIN is 4821', 'x'.repeat(201)];
