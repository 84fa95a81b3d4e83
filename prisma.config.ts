import { defineConfig } from 'prisma/config';

// Prisma CLI configuration. The runtime connects through driver adapters (src/infra/db.ts); this URL
// is only read by `prisma migrate deploy` where Prisma's native engine exists.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/omnipay' },
});
