/**
 * The operator's command groups (cards, rates, usage, ledger), each registering itself with the
 * program. The control socket and conversation scripts run exactly these (plus `migrate`).
 */
import './cards.js';
import './rates.js';
import './usage.js';
import './ledger.js';
export {};
