// The demo bank's past campaigns, from the real data sets in ../shared/data (docs/importers.md): the
// UCI phone campaigns become the bank's outbound-call history (channels bank-phone-*), the Hillstrom
// experiment its e-mail history with a control group (hillstrom-email). Each file is imported once
// (the importer recognises a file it imported before) and each history channel then gets an INTERNAL
// profile (内建画像) computed from those customers. Files that are not there are skipped and said so:
// the demo runs without them, only with less history.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import type { Db } from '../db/client';
import { importBankMarketing, channelCodeFor, CONTACTS } from '../importers/bank-marketing';
import { importHillstrom, HILLSTROM_CHANNEL } from '../importers/hillstrom';
import { recordInternalProfile } from '../profiles/internal-profile';
import { DEMO_SEED_ACTOR } from './bank';

export const HISTORY_CHANNEL_CODES: readonly string[] = [
  ...CONTACTS.map((contact) => channelCodeFor(contact)),
  HILLSTROM_CHANNEL,
];

/** ../shared/data beside the repository, or SHARED_DATA_DIR. */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHARED_DATA_DIR ?? path.resolve(projectRoot, '..', 'shared', 'data');
}

export interface HistoryFileResult {
  file: string;
  /** 'imported' now, 'already' imported earlier, or 'missing' (the file is not there). */
  outcome: 'imported' | 'already' | 'missing';
  campaignId: string | null;
  ms: number;
}

const HISTORY_FILES = [
  {
    file: 'bank-full.csv',
    load: (db: Db, file: string, fileName: string) =>
      importBankMarketing(db, file, { fileName, actor: DEMO_SEED_ACTOR }),
  },
  {
    file: 'hillstrom.csv',
    load: (db: Db, file: string, fileName: string) =>
      importHillstrom(db, file, { fileName, actor: DEMO_SEED_ACTOR }),
  },
] as const;

/** Imports each history file (streamed) unless it was imported before; each import is all or nothing. */
export async function importDemoHistory(db: Db, dir: string): Promise<HistoryFileResult[]> {
  const results: HistoryFileResult[] = [];
  for (const { file, load } of HISTORY_FILES) {
    const started = Date.now();
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) {
      results.push({ file, outcome: 'missing', campaignId: null, ms: 0 });
      continue;
    }
    const summary = await load(db, full, file);
    results.push({
      file,
      outcome: summary.alreadyImported ? 'already' : 'imported',
      campaignId: summary.campaignId,
      ms: Date.now() - started,
    });
  }
  return results;
}

/** An internal profile for each history channel that has none yet; returns the codes profiled now. */
export async function profileHistoryChannels(db: Db, now: Date): Promise<string[]> {
  const channels = await db.channel.findMany({
    where: { code: { in: [...HISTORY_CHANNEL_CODES] }, profiles: { none: { source: 'internal' } } },
    orderBy: { code: 'asc' },
  });
  for (const channel of channels) await recordInternalProfile(db, channel, now, DEMO_SEED_ACTOR);
  return channels.map((channel) => channel.code);
}
