/**
 * Imports every channel and worker so they register themselves (see channels.ts). Add a line here
 * when adding one.
 */
import './notices.js';
