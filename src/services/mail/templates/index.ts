/**
 * Imports every template file so it registers itself. Add one line per area file
 * (`import './cards.js';`).
 */
import './system.js';
import './onboarding.js';
import './money.js';
import './cards.js';
