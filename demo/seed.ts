// Seeds the demo bank (docs/demo.md) through the same stores the API writes with — channel registry,
// profile import, material library, compliance approval, history importers — so the demo's rows are
// exactly what a bank's users would have created. Every step finds what it would create by its
// natural key first (channel code, material name, "has an external profile", the history file's
// hash), so running the seed again changes nothing and a seed that died half-way is finished by the
// next run. The audit log records the seed's start and completion (demo/seed-state.ts).
import type { Db } from '../db/client';
import { createChannel } from '../api/channels/channel-store';
import { importProfiles } from '../api/channels/profile-store';
import { approveVersion } from '../api/materials/approval';
import { createMaterial } from '../api/materials/material-store';
import { CreateMaterialSchema } from '../api/materials/schemas';
import { CreateChannelSchema } from '../domain/channel';
import { DEMO_CHANNELS, DEMO_USERS } from './bank';
import { importDemoHistory, profileHistoryChannels, type HistoryFileResult } from './history';
import { DEMO_MATERIALS, type DemoMaterial } from './materials';
import { DEMO_EXTERNAL_PROFILES, EXTERNAL_PROFILE_BASIS, EXTERNAL_PROFILES_AS_OF } from './profiles';
import { markSeed } from './seed-state';
import { demoExistingCustomerRefs } from './traffic';

export const SEED_STEPS = [
  'channels',
  'external-profiles',
  'materials',
  'existing-customers',
  'history',
  'history-profiles',
] as const;
export type SeedStep = (typeof SEED_STEPS)[number];

export interface SeedOptions {
  /** Where bank-full.csv and hillstrom.csv are; null: no history. */
  historyDir: string | null;
  now?: () => Date;
  log?: (line: string) => void;
  /** Called after each step (tests interrupt the seed here). */
  afterStep?: (step: SeedStep) => void | Promise<void>;
}

export interface SeedSummary {
  channelsCreated: number;
  profilesImported: number;
  materialsCreated: number;
  versionsApproved: number;
  history: HistoryFileResult[];
  historyProfiles: string[];
  ms: number;
}

export async function seedDemoBank(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const step = async (name: SeedStep) => options.afterStep?.(name);
  await markSeed(db, 'started');

  const channelsCreated = await seedChannels(db);
  await step('channels');
  const profilesImported = await seedExternalProfiles(db);
  await step('external-profiles');
  let materialsCreated = 0;
  let versionsApproved = 0;
  for (const material of DEMO_MATERIALS) {
    const result = await seedMaterial(db, material);
    materialsCreated += result.created ? 1 : 0;
    versionsApproved += result.approved;
  }
  await step('materials');
  // The bank's customer base, as its core banking system would list it: sign-ups from these are flagged.
  const existing = await db.existingCustomer.createMany({
    data: demoExistingCustomerRefs().map((customerRef) => ({ customerRef, source: 'demo core banking' })),
    skipDuplicates: true,
  });
  await step('existing-customers');
  log(
    `demo bank: ${channelsCreated} channels, ${profilesImported} external profiles, ${materialsCreated} materials ` +
      `created (${versionsApproved} versions approved by ${DEMO_USERS.compliance.name}), ` +
      `${existing.count} existing customers listed`,
  );

  let history: HistoryFileResult[] = [];
  if (options.historyDir) {
    log(`importing the bank's history from ${options.historyDir} (once; the first time takes a while)…`);
    history = await importDemoHistory(db, options.historyDir);
    for (const file of history) {
      log(
        file.outcome === 'missing'
          ? `history: ${file.file} not found: skipped`
          : `history: ${file.file} ${file.outcome === 'imported' ? `imported in ${(file.ms / 1000).toFixed(1)} s` : 'already imported'}`,
      );
    }
  }
  await step('history');
  const historyProfiles = await profileHistoryChannels(db, now());
  if (historyProfiles.length > 0) log(`internal profiles built from history: ${historyProfiles.join(', ')}`);
  await step('history-profiles');

  await markSeed(db, 'completed');
  return {
    channelsCreated,
    profilesImported,
    materialsCreated,
    versionsApproved,
    history,
    historyProfiles,
    ms: Date.now() - started,
  };
}

async function seedChannels(db: Db): Promise<number> {
  const existing = new Set(
    (
      await db.channel.findMany({
        where: { code: { in: DEMO_CHANNELS.map((c) => c.code) } },
        select: { code: true },
      })
    ).map((c) => c.code),
  );
  let created = 0;
  for (const channel of DEMO_CHANNELS) {
    if (existing.has(channel.code)) continue;
    await createChannel(db, CreateChannelSchema.parse(channel), DEMO_USERS.marketer.name);
    created++;
  }
  return created;
}

/** One import (one transaction) of the partner profiles still missing: a retry never doubles them. */
async function seedExternalProfiles(db: Db): Promise<number> {
  const profiled = new Set(
    (
      await db.channel.findMany({
        where: {
          code: { in: DEMO_EXTERNAL_PROFILES.map((p) => p.channelCode) },
          profiles: { some: { source: 'external' } },
        },
        select: { code: true },
      })
    ).map((c) => c.code),
  );
  const items = DEMO_EXTERNAL_PROFILES.filter((p) => !profiled.has(p.channelCode)).map((p) => ({
    channelCode: p.channelCode,
    asOf: EXTERNAL_PROFILES_AS_OF,
    traits: p.traits,
    basis: EXTERNAL_PROFILE_BASIS,
  }));
  if (items.length === 0) return 0;
  return (await importProfiles(db, items, DEMO_USERS.marketer.name)).length;
}

/** Creates the material (one transaction, with all its variants) unless it exists; approves its versions. */
async function seedMaterial(db: Db, material: DemoMaterial): Promise<{ created: boolean; approved: number }> {
  const author = DEMO_USERS.marketer.name;
  let row = await db.material.findFirst({ where: { name: material.name, createdBy: author } });
  const created = !row;
  if (!row) {
    const id = await createMaterial(db, CreateMaterialSchema.parse(material), author);
    row = await db.material.findUniqueOrThrow({ where: { id } });
  }
  const pending = await db.materialVersion.findMany({
    where: { materialId: row.id, approvedBy: null },
    orderBy: { version: 'asc' },
  });
  for (const version of pending) await approveVersion(db, row.id, version.id, DEMO_USERS.compliance.name);
  return { created, approved: pending.length };
}
