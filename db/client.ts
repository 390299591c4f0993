// Creates the Prisma client used by the API and by activities (never by workflow code).
import { PrismaClient } from '../generated/prisma/client';
import { createRuntimeAdapter } from './adapter';

export type Db = PrismaClient;

export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: createRuntimeAdapter(databaseUrl, poolSize) });
}
