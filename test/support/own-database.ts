// A fresh, migrated database of the test file's own on the same PostgreSQL server, for tests of state that
// is global to a deployment (the contact policy applies to every campaign): stored in the run's shared
// database it would cap or quiet the messages of every other test file running beside it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateDeploy } from '../../infra/migrate';
import { testUrls } from './context';

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createOwnDatabase(): Promise<OwnDatabase> {
  const { databaseUrl } = testUrls();
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const name = `campaign_own_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString(), () => undefined);
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin.toString() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
