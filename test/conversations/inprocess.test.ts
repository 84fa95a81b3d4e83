import { conversationSuite } from './suite.js';

// Every conversation script on the in-process channel, each on its own embedded database (PGlite) and in-process store.
conversationSuite('inprocess', { db: 'pglite', store: 'memory' });
