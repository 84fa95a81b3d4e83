/**
 * Imports every channel and worker so they register themselves (see channels.ts). Add a line here
 * when adding one.
 */
import './notices.js';
import '../channels/telegram/register.js';
import '../services/mail/runner.js';
import '../services/payments/runner.js';
import '../infra/http/payments.js';
import '../infra/http/processor.js';
