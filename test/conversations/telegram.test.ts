import { TEST_PG_URL, TEST_REDIS_URL } from '../support/db.js';
import { conversationSuite } from './suite.js';

// Every conversation script through Telegram (grammY against the fake Bot API), each on its own PostgreSQL schema and Redis prefix, its e-mails over SMTP.
conversationSuite('telegram', { db: 'postgres', store: 'redis', databaseUrl: TEST_PG_URL, redisUrl: TEST_REDIS_URL, mail: 'smtp' });
