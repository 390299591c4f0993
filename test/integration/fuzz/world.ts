// The fuzz test's world: real rows and running workflows for every id an operation can take (a channel in
// a live campaign, an offline channel with a placement task, a channel to retire, a material with an
// approved, a second approved and a pending version, two campaigns — one to steer, one to cancel —, a
// registered customer, a channel profile), API keys of every role, and the baseline request of each
// operation: its OpenAPI example with those ids put in, made unique where a second acceptance would clash.
import { createApiKey } from '../../../api/auth/api-key-store';
import type { Role } from '../../../api/auth/principal';
import { MaterialContentSchema } from '../../../domain/material-content';
import type { Db } from '../../../db/client';
import { eventually } from '../../support/context';
import { sampleContent, seedChannels, seedMaterial, seedMaterialVersion, uniq } from '../../support/fixtures';
import type { Operation } from './openapi-walk';
import type { RawClient } from './raw-client';

export interface World {
  keys: Record<Role, string>;
  channelCode: string;
  retireChannelCode: string;
  materialId: string;
  altVersionId: string;
  pendingVersionId: string;
  campaignId: string;
  cancelCampaignId: string;
  placementId: string;
  offlineTaskId: string;
  customerRef: string;
  spareKeyId: string;
  windowStart: number;
}

export const ROLE_NAMES = [
  'marketer',
  'ops',
  'channel-system',
  'admin',
  'anti-fraud',
] as const satisfies readonly Role[];

const HOUR = 3_600_000;

export async function buildWorld(db: Db, client: RawClient): Promise<World> {
  const [channel, retire] = await seedChannels(db, 2, { prefix: uniq('fz-ch') });
  const [offline] = await seedChannels(db, 1, { prefix: uniq('fz-off'), kind: 'offline' });
  const { material, variant, version } = await seedMaterial(db, { content: sampleContent() });
  const version2 = async (n: number, approved: boolean) => {
    const content = MaterialContentSchema.parse(sampleContent(`Fuzz title ${n}`));
    return seedMaterialVersion(db, variant, n, content, { approved });
  };
  const alt = await version2(2, true);
  const pending = await version2(3, false);
  void version;

  const keys = {} as Record<Role, string>;
  for (const role of ROLE_NAMES) {
    const channelIds = role === 'channel-system' ? [channel!.code, offline!.code] : [];
    keys[role] = (await createApiKey(db, { name: uniq(`fz-${role}`), role, channelIds }, 'fuzz')).key;
  }
  const spare = await createApiKey(db, { name: uniq('fz-spare'), role: 'ops', channelIds: [] }, 'fuzz');

  // A window that started a day ago and ends in two hours: the campaigns stay in acquisition, with nothing
  // scheduled (verification hourly, cohorts daily) during the run, so any change of state is a request's.
  const windowStart = Math.floor(Date.now() / 1000) * 1000 - 24 * HOUR;
  const createCampaign = async (channels: string[]) => {
    const res = await client.send({
      method: 'POST',
      path: '/campaigns',
      headers: { Authorization: `Bearer ${keys.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: uniq('fz-campaign'),
        channels,
        materialId: material.id,
        plan: {
          registrationWindow: {
            start: new Date(windowStart).toISOString(),
            end: new Date(Date.now() + 2 * HOUR).toISOString(),
          },
          newCustomerPeriod: 'P30D',
          cohortGranularity: 'P1D',
          sendingHours: { start: '00:00', end: '24:00' },
          activationRule: { event: 'transaction', minAmountMinor: 10000, atLeast: 1 },
          publishing: { policy: 'best-effort', verifyEvery: 'PT1H' },
        },
      }),
    });
    if (res.status !== 201) throw new Error(`world: campaign not created: ${res.status} ${res.text}`);
    return (res.json as { id: string }).id;
  };
  const campaignId = await createCampaign([channel!.code, offline!.code]);
  const cancelCampaignId = await createCampaign([channel!.code]);

  const placements = await eventually(async () => {
    const rows = await db.placement.findMany({ where: { campaignId } });
    const settled = rows.length === 2 && rows.every((p) => !['pending', 'publishing'].includes(p.status));
    return settled && rows;
  }, 60_000);
  const online = placements.find((p) => p.channelId === channel!.id)!;
  const task = await eventually(() => db.offlineTask.findFirst({ where: { campaignId } }), 60_000);

  const customerRef = uniq('fz-cust');
  const reg = await client.send({
    method: 'POST',
    path: `/campaigns/${campaignId}/registrations`,
    headers: { Authorization: `Bearer ${keys['channel-system']}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerRef, channelCode: channel!.code, registeredAt: new Date().toISOString() }),
  });
  if (reg.status >= 300) throw new Error(`world: registration refused: ${reg.status} ${reg.text}`);

  const profile = await client.send({
    method: 'POST',
    path: `/channels/${channel!.code}/profiles`,
    headers: { Authorization: `Bearer ${keys.marketer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      source: 'external',
      asOf: new Date().toISOString(),
      traits: { audience: { ageBands: { '25-34': 0.5 } } },
    }),
  });
  if (profile.status >= 300) throw new Error(`world: profile refused: ${profile.status} ${profile.text}`);

  // A provisional evaluation, so that the evaluation reads and CSV exports have one to show.
  const evaluation = await client.send({
    method: 'POST',
    path: `/campaigns/${campaignId}/evaluation`,
    headers: { Authorization: `Bearer ${keys.marketer}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (evaluation.status >= 300)
    throw new Error(`world: evaluation refused: ${evaluation.status} ${evaluation.text}`);

  return {
    keys,
    channelCode: channel!.code,
    retireChannelCode: retire!.code,
    materialId: material.id,
    altVersionId: alt.id,
    pendingVersionId: pending.id,
    campaignId,
    cancelCampaignId,
    placementId: online.id,
    offlineTaskId: task.id,
    customerRef,
    spareKeyId: spare.apiKey.id,
    windowStart,
  };
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** The value of each path parameter of `op` in the world (already URL-safe). */
export function pathParams(op: Operation, w: World): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'path')) {
    values[p.name] = (() => {
      if (op.path.startsWith('/campaigns/{id}/cancel')) return w.cancelCampaignId;
      if (op.path.startsWith('/campaigns/')) return p.name === 'customerRef' ? w.customerRef : w.campaignId;
      if (op.path.startsWith('/materials/'))
        return { id: w.materialId, key: 'default', versionId: w.pendingVersionId }[p.name] ?? 'x';
      if (op.path.startsWith('/api-keys/')) return w.spareKeyId;
      // Version 0 (the unrestricted policy before any was stored) always exists.
      if (op.path.startsWith('/contact-policy/versions/')) return '0';
      if (op.path.startsWith('/offline-tasks/')) return w.offlineTaskId;
      if (op.path.startsWith('/channels/')) {
        if (p.name === 'version') return '1';
        return op.path.endsWith('/retire') ? w.retireChannelCode : w.channelCode;
      }
      // A parameter with a fixed set of values (e.g. the /docs files): the first of them.
      const allowed = (p.schema as { enum?: unknown[] }).enum;
      if (allowed && typeof allowed[0] === 'string') return encodeURIComponent(allowed[0]);
      return 'x';
    })();
  }
  return values;
}

/**
 * The operation's example body with the world's ids put in and unique names / codes / event ids, so that
 * it is a request the API accepts (checked by the test) and a repeat of it does not collide.
 */
export function baselineBody(op: Operation, w: World): unknown {
  if (!op.body) return undefined;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const fix = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) {
      if (key === 'channels' || key === 'channelIds') {
        // A list of codes (campaigns, keys) or of per-channel entries (a plan's candidates): the world
        // has one channel to name, and a channel named twice is refused, so one entry.
        return value.every((v) => typeof v === 'string')
          ? [w.channelCode]
          : value.slice(0, 1).map((v) => fix(v, undefined));
      }
      return value.map((v) => fix(v, undefined));
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fix(v, k)]));
    }
    switch (key) {
      case 'name':
        return fresh('fz');
      case 'code':
        return fresh('fz-code');
      case 'key':
        return fresh('v');
      case 'channelCode':
        return w.channelCode;
      case 'materialId':
        return w.materialId;
      case 'materialVersionId':
        return w.altVersionId;
      case 'placementId':
        return w.placementId;
      case 'customerRef':
        return w.customerRef;
      case 'eventId':
      case 'reportId':
        return fresh('fz-id');
      case 'registeredAt':
      case 'occurredAt':
      case 'asOf':
        return iso(now - 1000);
      case 'periodStart':
        return iso(w.windowStart + HOUR);
      case 'periodEnd':
        return iso(w.windowStart + 2 * HOUR);
      case 'start':
        return key === 'start' && typeof value === 'string' && value.includes('T')
          ? iso(now - 60_000)
          : value;
      case 'end':
        return typeof value === 'string' && value.includes('T') ? iso(now + 2 * HOUR) : value;
      default:
        return value;
    }
  };
  // The contact policy is deployment-wide and the run's database is shared: the baseline stores the
  // unrestricted policy, which caps and quiets nothing, so other test files' messages are not withheld.
  if (op.path === '/contact-policy' && op.method === 'PUT') {
    return {
      timeZone: 'Asia/Shanghai',
      frequencyCaps: [],
      exemptKinds: [],
      quietHours: null,
      priorities: { default: 0, campaigns: [] },
    };
  }
  const body = fix(op.body.example, undefined) as Record<string, unknown>;
  // The example campaign spends a budget; the world keeps campaigns free of budget signals.
  if (op.path === '/campaigns' && op.method === 'POST') {
    const plan = body.plan as Record<string, unknown>;
    plan.acquisitionBudgetMinor = null;
    plan.newCustomerPeriod = 'P30D';
  }
  return body;
}
