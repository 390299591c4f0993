// What "no state change" is measured against: the row count of every table (so the audit log, the
// idempotency records and every ingest table are covered), a digest of every row of the fuzz world's own
// channels, material, campaigns, placements, offline task and spare key (so an UPDATE shows too), and
// the two world campaigns' workflows as Temporal describes them (status and history length: any
// accepted update or signal adds events).
import type { TemporalDeps } from '../../../api/temporal';
import type { Db } from '../../../db/client';
import { campaignWorkflowId } from '../../../workflows/ids';
import type { World } from './world';

export type Snapshot = Record<string, string | number>;

export interface StateProbe {
  /** With `workflows: false`, only the database (cheaper; for operations that cannot reach a workflow). */
  snapshot(opts?: { workflows?: boolean }): Promise<Snapshot>;
  /** Names of what differs between two snapshots (empty when equal). */
  diff(a: Snapshot, b: Snapshot): string[];
}

export async function stateProbe(db: Db, temporal: TemporalDeps, w: World): Promise<StateProbe> {
  const tables = (
    await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name::text AS table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
      ORDER BY table_name`
  ).map((t) => t.table_name);
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const counts = tables.map((t) => `SELECT ${lit(`rows:${t}`)} AS k, count(*)::text AS v FROM ${q(t)}`);
  const digest = (table: string, where: string) =>
    `SELECT ${lit(`digest:${table}`)} AS k, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS v FROM ${q(table)} t WHERE ${where}`;
  const campaigns = [w.campaignId, w.cancelCampaignId].map(lit).join(',');
  const channelCodes = [w.channelCode, w.retireChannelCode].map(lit).join(',');
  const sql = [
    ...counts,
    digest('Channel', `code IN (${channelCodes})`),
    digest('Campaign', `id IN (${campaigns})`),
    digest('Placement', `"campaignId" IN (${campaigns})`),
    digest('Material', `id = ${lit(w.materialId)}`),
    digest('MaterialVersion', `"materialId" = ${lit(w.materialId)}`),
    digest('OfflineTask', `id = ${lit(w.offlineTaskId)}`),
    digest('ApiKey', `id = ${lit(w.spareKeyId)}`),
  ].join('\nUNION ALL\n');

  const handles = [w.campaignId, w.cancelCampaignId].map((id) =>
    temporal.client.workflow.getHandle(campaignWorkflowId(id)),
  );
  return {
    async snapshot({ workflows: withWorkflows = true } = {}) {
      const [rows, ...workflows] = await Promise.all([
        db.$queryRawUnsafe<{ k: string; v: string }[]>(sql),
        ...(withWorkflows ? handles.map((h) => h.describe()) : []),
      ]);
      const snap: Snapshot = Object.fromEntries(rows.map((r) => [r.k, r.v]));
      workflows.forEach((d, i) => {
        snap[`workflow:${i === 0 ? 'campaign' : 'cancel-campaign'}`] = `${d.status.name}/${d.historyLength}`;
      });
      return snap;
    },
    diff(a, b) {
      return Object.keys({ ...a, ...b })
        .filter((k) => a[k] !== b[k])
        .map((k) => `${k} ${a[k]}→${b[k]}`);
    },
  };
}
