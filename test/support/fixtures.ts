// Test data builders: channels, materials and campaign requests, written straight to the database
// (the registry API has its own tests) with unique codes so test files never collide.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';
import { CampaignPlanSchema } from '../../domain/campaign-plan';
import { contentHash, MaterialContentSchema, type MaterialContent } from '../../domain/material-content';

// 48 random bits: tests make up to ~10,000 ids with it (extreme-facts.test.ts), where 32 bits collided
// about once in a hundred runs and turned an event into a duplicate.
export const uniq = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

export async function seedChannels(
  db: Db,
  count: number,
  opts: {
    kind?: 'offline' | 'financial_scenario' | 'ecosystem_scenario';
    adapter?: object;
    prefix?: string;
    feeMinor?: number;
  } = {},
) {
  const kind = opts.kind ?? 'ecosystem_scenario';
  const rows = Array.from({ length: count }, (_, i) => ({
    code: `${opts.prefix ?? uniq('ch')}-${i}`,
    name: `Test channel ${i}`,
    kind,
    onlineType: kind === 'ecosystem_scenario' ? ('ecommerce' as const) : null,
    department: 'digital',
    costModel: { type: 'fixed_per_placement', amountMinor: opts.feeMinor ?? 10000, currency: 'CNY' },
    canShowMaterial: true,
    canDeliverMessages: true,
    adapter: opts.adapter ?? (kind === 'offline' ? { type: 'offline' } : { type: 'simulator' }),
  }));
  await db.channel.createMany({ data: rows });
  return db.channel.findMany({ where: { code: { in: rows.map((r) => r.code) } }, orderBy: { code: 'asc' } });
}

export const sampleContent = (title = 'Open an account, get ¥50'): MaterialContent => ({
  title,
  body: 'Register in two minutes and receive a first-order discount.',
  imageRefs: ['https://cdn.bank.example/banners/welcome.png'],
  linkUrl: 'https://bank.example/open',
  callToAction: 'Open now',
  incentiveText: '¥50 first-order discount',
  styleTags: ['discount'],
});

export async function seedMaterial(db: Db, opts: { approved?: boolean; content?: MaterialContent } = {}) {
  const content = MaterialContentSchema.parse(opts.content ?? sampleContent());
  const material = await db.material.create({ data: { name: uniq('material'), createdBy: 'author' } });
  const variant = await db.materialVariant.create({
    data: { materialId: material.id, key: 'default', rule: undefined },
  });
  const version = await seedMaterialVersion(db, variant, 1, content, opts);
  return { material, variant, version };
}

/** Version `version` of a variant by `author`, approved by compliance unless `approved` is false. */
export function seedMaterialVersion(
  db: Db,
  variant: { id: string; materialId: string },
  version: number,
  content: MaterialContent,
  opts: { approved?: boolean } = {},
) {
  return db.materialVersion.create({
    data: {
      materialId: variant.materialId,
      variantId: variant.id,
      version,
      content: content as object,
      contentHash: contentHash(content),
      author: 'author',
      ...(opts.approved === false ? {} : { approvedBy: 'compliance', approvedAt: new Date() }),
    },
  });
}

/**
 * A complete stored plan, every default filled in, for campaign rows a test writes directly: such a row is
 * listed by GET /campaigns to every later test file in the shared database, and the listing documents a
 * whole plan (the response check fails on `{}`).
 */
export function storedPlan(): object {
  return JSON.parse(JSON.stringify(CampaignPlanSchema.parse(campaignRequest([], 'unused').plan)));
}

export function campaignRequest(
  channelCodes: string[],
  materialId: string,
  plan: Record<string, unknown> = {},
) {
  const now = Date.now();
  return {
    name: uniq('campaign'),
    channels: channelCodes,
    materialId,
    plan: {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 60_000).toISOString(),
      },
      newCustomerPeriod: 'PT10S',
      cohortGranularity: 'PT5S',
      sendingHours: { start: '00:00', end: '24:00' },
      activationRule: { event: 'transaction', minAmountMinor: 10000, atLeast: 1 },
      ...plan,
    },
  };
}
