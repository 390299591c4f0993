// Benchmark fixtures shared by the bench scripts: one material with one approved version, and the
// profilers' campaign (ingest-profile.ts, event-profile.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { CampaignPlanSchema } from '../../domain/campaign-plan';
import { contentHash } from '../../domain/material-content';

export async function seedApprovedMaterial(db: Db) {
  const content = {
    title: 'Open an account',
    body: 'Benchmark material',
    imageRefs: [],
    linkUrl: 'https://bank.example/open',
    callToAction: 'Open',
    styleTags: [],
  };
  const material = await db.material.create({ data: { name: 'bench', createdBy: 'bench' } });
  const variant = await db.materialVariant.create({ data: { materialId: material.id, key: 'default' } });
  const version = await db.materialVersion.create({
    data: {
      materialId: material.id,
      variantId: variant.id,
      version: 1,
      content,
      contentHash: contentHash(content),
      author: 'bench-author',
      approvedBy: 'bench-compliance',
      approvedAt: new Date(),
    },
  });
  return { material, version };
}

/** Three channels and an acquiring campaign with a budget cap of one incentive per registration. */
export async function seedIngestCampaign(db: Db, registrations: number) {
  const codes = ['prof-app', 'prof-wechat', 'prof-partner'];
  await db.channel.createMany({
    data: codes.map((code) => ({
      code,
      name: code,
      kind: 'financial_scenario' as const,
      department: 'bench',
      costModel: { type: 'fixed_per_placement', amountMinor: 100_000, currency: 'CNY' },
      canDeliverMessages: true,
      adapter: { type: 'simulator' },
    })),
  });
  const channels = await db.channel.findMany({ where: { code: { in: codes } } });
  const { material, version } = await seedApprovedMaterial(db);
  const now = Date.now();
  // As bench:funnel's campaign: a budget cap of one incentive per registration, a 3-step plan.
  const plan = CampaignPlanSchema.parse({
    registrationWindow: {
      start: new Date(now - 1000).toISOString(),
      end: new Date(now + 3_600_000).toISOString(),
    },
    newCustomerPeriod: 'PT60S',
    cohortGranularity: 'PT20S',
    sendingHours: { start: '00:00', end: '24:00' },
    controlGroupShare: 0.1,
    incentive: { perRegistrationMinor: 500, perActivationMinor: 1000 },
    acquisitionBudgetMinor: registrations * 500,
    activationRule: { event: 'transaction', minAmountMinor: 10_000 },
  });
  const id = randomUUID();
  await db.campaign.create({
    data: {
      id,
      name: 'ingest profile',
      status: 'acquiring',
      plan: plan as object,
      materialId: material.id,
      currency: plan.currency,
      workflowId: `campaign-${id}`,
      workflowStartedAt: new Date(),
      createdBy: 'bench',
    },
  });
  await db.campaignChannel.createMany({
    data: channels.map((c) => ({
      campaignId: id,
      channelId: c.id,
      variantKey: 'default',
      materialVersionId: version.id,
    })),
  });
  return { id, codes };
}
