// Prisma CLI configuration: the JavaScript engine path with a driver adapter, so that no native
// engine is downloaded (none can be, on machines without internet). See docs/architecture.md.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { createMigrationAdapter } from './db/adapter';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => createMigrationAdapter(process.env.DATABASE_URL ?? ''),
});
