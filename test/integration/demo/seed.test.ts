// The demo seed (demo/seed.ts) on fresh databases of its own: seeding twice changes nothing, a seed
// interrupted half-way is finished by the next start with exactly the rows of an uninterrupted one, and
// npm start's rules hold — DEMO=off and an external DATABASE_URL are never seeded; demo:seed is.
// Its own databases (not the shared test database): the seed owns fixed channel codes and imports the
// real history files, which other test files must not see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../../../db/client';
import { DEMO_CHANNEL_CODES, DEMO_USERS } from '../../../demo/bank';
import { HISTORY_CHANNEL_CODES } from '../../../demo/history';
import { seedDemoBank, type SeedStep } from '../../../demo/seed';
import { demoSeedState } from '../../../demo/seed-state';
import { DEMO_EXISTING_CUSTOMERS } from '../../../demo/traffic';
import { prepareDemo } from '../../../demo/start';
import { migrateDeploy } from '../../../infra/migrate';
import { sharedDataFile } from '../../support/shared-data';

jest.setTimeout(600_000);

const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const historyDir = path.dirname(sharedDataFile('bank-full.csv'));
const created: string[] = [];
const clients: Db[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-seed-test-'));

const databaseUrl = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

// Migrated once, then copied: CREATE DATABASE … TEMPLATE takes a fraction of a migration run.
let template: Promise<string> | null = null;
const migratedTemplate = () =>
  (template ??= (async () => {
    const name = `demo_seed_template_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    created.push(name);
    await migrateDeploy(databaseUrl(name), () => undefined);
    return name;
  })());

async function freshDatabase(label: string): Promise<{ url: string; db: Db }> {
  const from = await migratedTemplate();
  const name = `demo_seed_${label}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${from}`);
  await admin.end();
  created.push(name);
  const url = new URL(databaseUrl(name));
  const db = createDb(url.toString(), 4);
  clients.push(db);
  return { url: url.toString(), db };
}

afterAll(async () => {
  await Promise.all(clients.map((db) => db.$disconnect()));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every row the seed writes, by natural key where there is one, so that a doubled row shows. */
async function snapshot(db: Db) {
  const channels = await db.channel.findMany({ select: { code: true }, orderBy: { code: 'asc' } });
  const profiles = await db.channelProfile.findMany({
    select: { channel: { select: { code: true } }, version: true, source: true },
    orderBy: [{ channel: { code: 'asc' } }, { version: 'asc' }],
  });
  const versions = await db.materialVersion.findMany({
    select: {
      material: { select: { name: true } },
      variant: { select: { key: true } },
      version: true,
      author: true,
      approvedBy: true,
      contentHash: true,
    },
    orderBy: [{ material: { name: 'asc' } }, { variant: { key: 'asc' } }, { version: 'asc' }],
  });
  const campaigns = await db.campaign.findMany({
    select: { workflowId: true, origin: true, status: true },
    orderBy: { workflowId: 'asc' },
  });
  const activeKeys = await db.apiKey.findMany({
    where: { revokedAt: null },
    select: { name: true, role: true },
    orderBy: { name: 'asc' },
  });
  return {
    channels: channels.map((c) => c.code),
    profiles: profiles.map((p) => `${p.channel.code} v${p.version} ${p.source}`),
    materials: await db.material.count(),
    variants: await db.materialVariant.count(),
    versions,
    campaigns,
    registrations: await db.registration.count(),
    ledgerEntries: await db.ledgerEntry.count(),
    customerEvents: await db.customerEvent.count(),
    existingCustomers: await db.existingCustomer.count(),
    activeKeys,
  };
}

// The first test imports the real history files in full; the others, which only check that a
// resumed or requested seed ends with the same rows, use the files' first rows (an import of the
// full files takes over a minute each on this machine, and the rows' number is not what they test).
const SHORT_HISTORY_ROWS = 2_000;
const shortHistoryDir = path.join(tmp, 'short-history');
fs.mkdirSync(shortHistoryDir);
for (const file of ['bank-full.csv', 'hillstrom.csv']) {
  const lines = fs.readFileSync(path.join(historyDir, file), 'utf8').split('\n');
  fs.writeFileSync(
    path.join(shortHistoryDir, file),
    lines.slice(0, SHORT_HISTORY_ROWS + 1).join('\n') + '\n',
  );
}

const start = (url: string, keyDir: string, over: Partial<Parameters<typeof prepareDemo>[0]> = {}) =>
  prepareDemo({
    databaseUrl: url,
    embedded: true,
    demo: 'on',
    dataDir: keyDir,
    log: () => undefined,
    historyDir: shortHistoryDir,
    ...over,
  });

let reference: Awaited<ReturnType<typeof snapshot>>;
let shortReference: Promise<Awaited<ReturnType<typeof snapshot>>> | null = null;
/** The rows of an uninterrupted seed with the short history, seeded once on first use. */
const uninterruptedShort = () =>
  (shortReference ??= (async () => {
    const { url, db } = await freshDatabase('short_reference');
    await start(url, path.join(tmp, 'short-reference'));
    const rows = await snapshot(db);
    expect(rows.registrations).toBe(2 * SHORT_HISTORY_ROWS);
    return rows;
  })());

describe('the demo seed', () => {
  it('seeds once: a second start on the same data seeds nothing and keeps the same keys', async () => {
    const { url, db } = await freshDatabase('twice');
    const keyDir = path.join(tmp, 'twice');
    const first = await start(url, keyDir, { historyDir });
    expect(first.run).toBe(true);
    expect(await demoSeedState(db)).toBe('completed');
    reference = await snapshot(db);

    // What the demo is: every demo channel, a profile for each partner app and history channel, four
    // materials whose every version the compliance reviewer approved, the two imported histories.
    expect(reference.channels).toEqual(
      expect.arrayContaining([...DEMO_CHANNEL_CODES, ...HISTORY_CHANNEL_CODES]),
    );
    expect(reference.profiles.filter((p) => p.endsWith('external'))).toHaveLength(5);
    expect(reference.profiles.filter((p) => p.endsWith('internal'))).toHaveLength(
      HISTORY_CHANNEL_CODES.length,
    );
    expect(reference.materials).toBe(4);
    expect(reference.versions.every((v) => v.author === DEMO_USERS.marketer.name)).toBe(true);
    expect(reference.versions.every((v) => v.approvedBy === DEMO_USERS.compliance.name)).toBe(true);
    expect(reference.campaigns.map((c) => c.origin)).toEqual(['imported', 'imported']);
    expect(reference.registrations).toBe(45_211 + 64_000);
    expect(reference.existingCustomers).toBe(DEMO_EXISTING_CUSTOMERS);
    expect(reference.activeKeys.map((k) => k.name).sort()).toEqual(
      Object.values(DEMO_USERS)
        .map((u) => u.name)
        .sort(),
    );

    const second = await start(url, keyDir, { historyDir });
    expect(second.keys).toEqual(first.keys);
    expect(await snapshot(db)).toEqual(reference);

    // Even the seed itself, run again directly, finds everything in place.
    const again = await seedDemoBank(db, { historyDir });
    expect(again).toMatchObject({
      channelsCreated: 0,
      profilesImported: 0,
      materialsCreated: 0,
      versionsApproved: 0,
    });
    expect(again.history.map((h) => h.outcome)).toEqual(['already', 'already']);
    expect(await snapshot(db)).toEqual(reference);
  });

  it.each<SeedStep>(['existing-customers', 'history'])(
    'interrupted after the %s step, is finished by the next start with the same rows',
    async (step) => {
      const { url, db } = await freshDatabase(`cut_${step.replace(/-/g, '_')}`);
      const keyDir = path.join(tmp, `cut-${step}`);
      await expect(
        seedDemoBank(db, {
          historyDir: shortHistoryDir,
          afterStep: (done) => {
            if (done === step) throw new Error(`killed after ${step}`);
          },
        }),
      ).rejects.toThrow(`killed after ${step}`);
      expect(await demoSeedState(db)).toBe('started');

      const resumed = await start(url, keyDir);
      expect(resumed.run).toBe(true);
      expect(await demoSeedState(db)).toBe('completed');
      expect(await snapshot(db)).toEqual(await uninterruptedShort());
    },
  );

  it('leaves DEMO=off and an external DATABASE_URL empty; demo:seed seeds the external one', async () => {
    const { url, db } = await freshDatabase('rules');
    const keyDir = path.join(tmp, 'rules');
    const off = await start(url, keyDir, { demo: 'off' });
    expect(off).toMatchObject({ run: false, keys: null });
    const external = await start(url, keyDir, { embedded: false });
    expect(external).toMatchObject({ run: false, keys: null });
    expect(await demoSeedState(db)).toBe('none');
    expect(await db.channel.count()).toBe(0);
    expect(await db.apiKey.count()).toBe(0);
    expect(fs.existsSync(path.join(keyDir, 'demo-keys.json'))).toBe(false);

    // npm run demo:seed asks for it; after that, npm start on the external database runs the demo.
    const requested = await start(url, keyDir, { embedded: false, requested: true });
    expect(requested.run).toBe(true);
    expect(await snapshot(db)).toEqual(await uninterruptedShort());
    expect(await start(url, keyDir, { embedded: false })).toMatchObject({ run: true, keys: requested.keys });
  });

  it('does not seed an embedded database that already holds someone else’s data', async () => {
    const { url, db } = await freshDatabase('owned');
    await db.material.create({ data: { name: 'their own material', createdBy: 'someone' } });
    const decision = await start(url, path.join(tmp, 'owned'));
    expect(decision.run).toBe(false);
    expect(await db.channel.count()).toBe(0);
    expect(await demoSeedState(db)).toBe('none');
  });
});
