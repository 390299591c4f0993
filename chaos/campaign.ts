// The live campaign a chaos run drives: three simulator channels, one approved material, API keys (an
// admin key for the run's own reads, a channel-system key for ingest, as a channel's system would call it),
// and a campaign created through the API with a short window, short cohorts and three steps to every
// treatment customer (audience treatment_all), so that "every eligible customer got each step once" is a
// plain set comparison.
import { createApiKey } from '../api/auth/api-key-store';
import { createDb } from '../db/client';
import { contentHash, MaterialContentSchema } from '../domain/material-content';
import type { ChaosConfig } from './config';
import { stepOffsets } from './config';

export interface ChaosCampaign {
  campaignId: string;
  channelCodes: string[];
  /** stepId → the channel that carries it. */
  stepChannels: Map<string, string>;
  adminKey: string;
  ingestKey: string;
  windowStart: number;
  windowEnd: number;
  currency: string;
}

const CURRENCY = 'CNY';

export async function seedRegistry(databaseUrl: string, seed: number) {
  const db = createDb(databaseUrl, 2);
  try {
    const channelCodes = [0, 1, 2].map((i) => `chaos-${seed}-ch-${i}`);
    await db.channel.createMany({
      data: channelCodes.map((code, i) => ({
        code,
        name: `Chaos channel ${i}`,
        kind: 'ecosystem_scenario',
        onlineType: 'ecommerce',
        department: 'digital',
        costModel: { type: 'fixed_per_placement', amountMinor: 10_000, currency: CURRENCY },
        canShowMaterial: true,
        canDeliverMessages: true,
        adapter: { type: 'simulator' },
      })),
    });
    const content = MaterialContentSchema.parse({
      title: 'Open an account, get ¥50',
      body: 'Register in two minutes and receive a first-order discount.',
      imageRefs: ['https://cdn.bank.example/banners/welcome.png'],
      linkUrl: 'https://bank.example/open',
      callToAction: 'Open now',
      incentiveText: '¥50 first-order discount',
      styleTags: ['discount'],
    });
    const material = await db.material.create({ data: { name: `chaos-${seed}`, createdBy: 'chaos' } });
    const variant = await db.materialVariant.create({ data: { materialId: material.id, key: 'default' } });
    const version = await db.materialVersion.create({
      data: {
        materialId: material.id,
        variantId: variant.id,
        version: 1,
        content: content as object,
        contentHash: contentHash(content),
        author: 'chaos',
        approvedBy: 'chaos-compliance',
        approvedAt: new Date(),
      },
    });
    const admin = await createApiKey(db, { name: 'chaos-admin', role: 'admin', channelIds: [] }, 'chaos');
    const ingest = await createApiKey(
      db,
      { name: 'chaos-ingest', role: 'channel-system', channelIds: channelCodes },
      'chaos',
    );
    return {
      channelCodes,
      materialId: material.id,
      versionId: version.id,
      adminKey: admin.key,
      ingestKey: ingest.key,
    };
  } finally {
    await db.$disconnect();
  }
}

export function campaignBody(
  config: ChaosConfig,
  registry: { channelCodes: string[]; materialId: string; versionId: string },
  windowStart: number,
) {
  const [a, b] = registry.channelCodes as [string, string];
  const offsets = stepOffsets(config.cohortMs, config.periodMs);
  const steps = [
    { id: 'welcome', kind: 'education', channelCode: a, costPerMessageMinor: 5 },
    { id: 'deposit-nudge', kind: 'engagement', channelCode: b, costPerMessageMinor: 3 },
    { id: 'wealth-starter', kind: 'engagement', channelCode: a, costPerMessageMinor: 7 },
  ].map((step, i) => ({
    ...step,
    offset: offsets[i] as string,
    materialVersionId: registry.versionId,
    audience: 'treatment_all',
  }));
  return {
    name: `chaos run ${config.seed} ${new Date(windowStart).toISOString()}`,
    channels: registry.channelCodes,
    materialId: registry.materialId,
    plan: {
      currency: CURRENCY,
      timeZone: 'Asia/Shanghai',
      registrationWindow: {
        start: new Date(windowStart).toISOString(),
        end: new Date(windowStart + config.windowMs).toISOString(),
      },
      newCustomerPeriod: `PT${Math.round(config.periodMs / 1_000)}S`,
      cohortGranularity: `PT${Math.round(config.cohortMs / 1_000)}S`,
      sendingHours: { start: '00:00', end: '24:00' },
      incentive: { perRegistrationMinor: 500, perActivationMinor: 1_000 },
      acquisitionBudgetMinor: null,
      controlGroupShare: 0.2,
      activationRule: { event: 'transaction', minAmountMinor: 10_000, atLeast: 1 },
      engagementPlan: { steps },
    },
  };
}

export async function createCampaign(
  apiUrl: string,
  adminKey: string,
  body: ReturnType<typeof campaignBody>,
): Promise<string> {
  const res = await fetch(`${apiUrl}/campaigns`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /campaigns answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** The campaign's phase as the workflow reports it through the API; null while it cannot say. */
export async function campaignPhase(apiUrl: string, adminKey: string, id: string): Promise<string | null> {
  const res = await fetch(`${apiUrl}/campaigns/${id}`, {
    headers: { Authorization: `Bearer ${adminKey}` },
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) return null;
  const body = (await res.json()) as { workflow?: { state?: { phase?: string } | null } };
  return body.workflow?.state?.phase ?? null;
}
