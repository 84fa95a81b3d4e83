/** The pure money core: currencies, amounts, parsing, formatting, rounding, FX maths. No I/O. */
export * from './errors.js';
export * from './currency.js';
export * from './rounding.js';
export * from './parse.js';
export * from './format.js';
export * from './fx.js';
export * from './limits.js';
