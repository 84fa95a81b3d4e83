/** The double-entry ledger over Prisma: accounts, posting, reversal, verification. */
export * from './errors.js';
export * from './accounts.js';
export * from './post.js';
export * from './verify.js';
export * from './balances.js';
export * from './replace.js';
