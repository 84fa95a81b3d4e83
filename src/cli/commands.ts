/** Imports every command group so it registers itself with the program. Add a line per group. */
import './cards.js';
import './converse.js';
import './rates.js';
import './usage.js';
import './ledger.js';
export {};
