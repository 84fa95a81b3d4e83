/** Every command group of the `omnipay` program: the operator's, and `converse` (the test kit, loaded on demand). */
import './operator.js';
import './converse.js';
export {};
