import { TEST_PG_URL } from '../support/db.js';
import { conversationSuite } from './suite.js';

// Every conversation script in the console chat, each on its own PostgreSQL schema with the in-process store.
conversationSuite('console', { db: 'postgres', store: 'memory', databaseUrl: TEST_PG_URL });
