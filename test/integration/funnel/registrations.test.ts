// Registration ingest on real PostgreSQL: attribution, idempotent repeats, every flag reason, refusals
// (window, campaign state, channel, budget), batches with mixed items, and the incentive ledger.
import { assignGroup } from '../../../funnel/control-group';
import { cohortFor } from '../../../domain/cohort';
import { loadFunnelCampaign, type FunnelCampaign } from '../../../funnel/ingest/campaign-context';
import { parseSingleOrBatch } from '../../../funnel/ingest/batch';
import { ingestRegistrations } from '../../../funnel/ingest/registration-ingest';
import { FINGERPRINT_BURST_THRESHOLD } from '../../../funnel/ingest/registration-lookups';
import { RegistrationItemSchema } from '../../../funnel/ingest/registration-schema';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import {
  HOUR,
  postRegistrations,
  registration,
  seedCampaign,
  seedPlacement,
  bookPlacementFee,
} from './fixtures';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

const ledgerOf = (campaignId: string) =>
  ctx.db.ledgerEntry.findMany({ where: { campaignId }, orderBy: { id: 'asc' } });

describe('POST /campaigns/:id/registrations — one registration', () => {
  it('stores the registration with its attribution, arm, cohort and period, and books the incentive', async () => {
    const campaign = await seedCampaign(ctx.db, { plan: { controlGroupShare: 0.3 } });
    const placementId = await seedPlacement(ctx.db, campaign, 0);
    const body = registration(campaign, {
      placementId,
      deviceFingerprint: uniq('dev'),
      attributes: { age: 31, cityTier: 'tier-1' },
    });

    const res = await postRegistrations(ctx.app, campaign.id, body);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ index: 0, status: 'accepted' });
    const stored = await ctx.db.registration.findUniqueOrThrow({ where: { id: res.body.registrationId } });
    const [channel] = campaign.channels;
    expect(stored).toMatchObject({
      campaignId: campaign.id,
      customerRef: body.customerRef,
      channelId: channel!.id,
      placementId,
      materialVersionId: campaign.materialVersionId,
      variantKey: 'default',
      flagReason: null,
      activatedAt: null,
      arm: assignGroup(campaign.id, body.customerRef, 0.3),
      attributes: { age: 31, cityTier: 'tier-1' },
    });
    const cohort = cohortFor(body.registeredAt, {
      windowStart: campaign.at(0),
      granularity: 'PT30M',
      timeZone: 'Asia/Shanghai',
    });
    expect(stored.cohortKey).toBe(cohort.key);
    expect(stored.registeredAt.toISOString()).toBe(body.registeredAt);
    expect(stored.periodEndsAt.getTime() - stored.registeredAt.getTime()).toBe(2 * HOUR);

    expect(await ledgerOf(campaign.id)).toEqual([
      expect.objectContaining({
        id: `incentive:${stored.id}`,
        kind: 'cost',
        scope: 'acquisition',
        category: 'registration_incentive',
        channelId: channel!.id,
        variantKey: 'default',
        cohortKey: cohort.key,
        customerRef: body.customerRef,
        amountMinor: 500n,
        currency: 'CNY',
      }),
    ]);
  });

  it('answers a repeat with the stored registration: no second row, no second incentive', async () => {
    const campaign = await seedCampaign(ctx.db);
    const body = registration(campaign);
    const first = await postRegistrations(ctx.app, campaign.id, body);
    // Even a repeat that differs (another time, another channel) is the same registration.
    const repeat = await postRegistrations(ctx.app, campaign.id, {
      ...body,
      channelCode: campaign.channels[1]!.code,
    });

    expect(first.status).toBe(201);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({
      status: 'duplicate_request',
      registrationId: first.body.registrationId,
    });
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect((await ledgerOf(campaign.id)).map((e) => e.id)).toEqual([
      `incentive:${first.body.registrationId}`,
    ]);
  });

  it('records a channel fee for per-registration channels', async () => {
    const campaign = await seedCampaign(ctx.db, {
      costModel: { type: 'per_registration', amountMinor: 300, currency: 'CNY' },
    });
    const res = await postRegistrations(ctx.app, campaign.id, registration(campaign));
    const ledger = await ledgerOf(campaign.id);
    expect(ledger.map((e) => [e.id, e.category, e.scope, e.amountMinor])).toEqual([
      [`channelfee:${res.body.registrationId}`, 'channel_fee', 'acquisition', 300n],
      [`incentive:${res.body.registrationId}`, 'registration_incentive', 'acquisition', 500n],
    ]);
  });

  it('answers 404 for an unknown campaign and 400 for a malformed registration', async () => {
    const unknown = await postRegistrations(ctx.app, '00000000-0000-4000-8000-000000000000', {
      customerRef: 'x',
    });
    expect(unknown.status).toBe(404);

    const campaign = await seedCampaign(ctx.db);
    const res = await postRegistrations(ctx.app, campaign.id, {
      customerRef: '',
      registeredAt: 'yesterday',
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'customerRef', reason: 'invalid' }),
        expect.objectContaining({ field: 'channelCode', reason: 'required' }),
        expect.objectContaining({ field: 'registeredAt', reason: 'invalid' }),
        expect.objectContaining({ field: 'extra', reason: 'unknown_field' }),
      ]),
    );
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});

describe('refusals: nothing is stored', () => {
  it.each([
    ['before the window', -1, 'outside_window'],
    ['at the window end (exclusive)', 2 * 60, 'outside_window'],
  ])('refuses a registration %s', async (_label, minutes, reason) => {
    const campaign = await seedCampaign(ctx.db);
    const res = await postRegistrations(ctx.app, campaign.id, registration(campaign, {}, minutes));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'registeredAt', reason })]);
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it('refuses a registration dated well after the server clock', async () => {
    const campaign = await seedCampaign(ctx.db);
    const res = await postRegistrations(ctx.app, campaign.id, registration(campaign, {}, 60 + 30));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'registeredAt', reason: 'registered_in_future' });
  });

  it.each(['cancelled', 'failed', 'completed'])('refuses registrations for a %s campaign', async (status) => {
    const campaign = await seedCampaign(ctx.db, { status });
    const res = await postRegistrations(ctx.app, campaign.id, registration(campaign));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: '(campaign)', reason: `campaign_${status}` }),
    ]);
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it('refuses a channel that is not allocated to the campaign', async () => {
    const campaign = await seedCampaign(ctx.db);
    const other = await seedCampaign(ctx.db);
    const res = await postRegistrations(
      ctx.app,
      campaign.id,
      registration(campaign, { channelCode: other.channels[0]!.code }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'channelCode', reason: 'channel_not_allocated' }),
    ]);
  });
});

describe('flags: stored, excluded from the funnel, no incentive', () => {
  async function flagOf(campaignId: string, body: Record<string, unknown>) {
    const res = await postRegistrations(ctx.app, campaignId, body);
    expect(res.status).toBe(201);
    return res.body as { status: string; flagReason?: string; registrationId: string };
  }

  it('duplicate_customer: the same contact hash or device under another customer ref', async () => {
    const campaign = await seedCampaign(ctx.db);
    const contactHash = uniq('contact');
    const deviceFingerprint = uniq('device');
    expect(await flagOf(campaign.id, registration(campaign, { contactHash }))).toMatchObject({
      status: 'accepted',
    });
    expect(await flagOf(campaign.id, registration(campaign, { deviceFingerprint }))).toMatchObject({
      status: 'accepted',
    });
    const byContact = await flagOf(campaign.id, registration(campaign, { contactHash }));
    const byDevice = await flagOf(campaign.id, registration(campaign, { deviceFingerprint }));
    expect(byContact).toMatchObject({ status: 'flagged', flagReason: 'duplicate_customer' });
    expect(byDevice).toMatchObject({ status: 'flagged', flagReason: 'duplicate_customer' });
    const stored = await ctx.db.registration.findUniqueOrThrow({ where: { id: byContact.registrationId } });
    expect(stored.flagReason).toBe('duplicate_customer');
    const incentives = (await ledgerOf(campaign.id)).map((e) => e.id);
    expect(incentives).toHaveLength(2);
    expect(incentives).not.toContain(`incentive:${byContact.registrationId}`);
  });

  it('existing_customer: listed by the bank, or registered in an earlier live campaign', async () => {
    const earlier = await seedCampaign(ctx.db);
    const campaign = await seedCampaign(ctx.db);
    const listed = uniq('listed');
    await ctx.db.existingCustomer.create({ data: { customerRef: listed, source: 'core-banking' } });
    const acquiredBefore = registration(earlier);
    await postRegistrations(ctx.app, earlier.id, acquiredBefore);

    expect(await flagOf(campaign.id, registration(campaign, { customerRef: listed }))).toMatchObject({
      flagReason: 'existing_customer',
    });
    expect(
      await flagOf(campaign.id, registration(campaign, { customerRef: acquiredBefore.customerRef })),
    ).toMatchObject({
      flagReason: 'existing_customer',
    });
  });

  it('unknown_placement: a placement of another campaign or channel, or a version of another material', async () => {
    const campaign = await seedCampaign(ctx.db);
    const other = await seedCampaign(ctx.db);
    const onOtherChannel = await seedPlacement(ctx.db, campaign, 1);
    const ofOtherCampaign = await seedPlacement(ctx.db, other, 0);
    for (const attribution of [
      { placementId: onOtherChannel },
      { placementId: ofOtherCampaign },
      { placementId: 'plc-nonexistent' },
      { materialVersionId: other.materialVersionId },
    ]) {
      const result = await flagOf(campaign.id, registration(campaign, attribution));
      expect(result).toMatchObject({ status: 'flagged', flagReason: 'unknown_placement' });
    }
    // No placement at all is unattributed, not suspicious.
    expect(await flagOf(campaign.id, registration(campaign))).toMatchObject({ status: 'accepted' });
  });

  it(`fingerprint_burst: ${FINGERPRINT_BURST_THRESHOLD} registrations from one device within the burst window, across campaigns`, async () => {
    const deviceFingerprint = uniq('farm');
    // A device farm signs up once in each of several campaigns, minutes apart.
    const campaigns = await Promise.all(
      Array.from({ length: FINGERPRINT_BURST_THRESHOLD }, () => seedCampaign(ctx.db)),
    );
    const results = [];
    for (const [i, campaign] of campaigns.entries()) {
      results.push(await flagOf(campaign.id, registration(campaign, { deviceFingerprint }, 10 + i)));
    }
    expect(results.slice(0, -1).map((r) => r.status)).toEqual(
      Array(FINGERPRINT_BURST_THRESHOLD - 1).fill('accepted'),
    );
    expect(results.at(-1)).toMatchObject({ status: 'flagged', flagReason: 'fingerprint_burst' });
    // Outside the burst window (16 minutes after the last) the same device is not a burst.
    const later = await seedCampaign(ctx.db);
    expect(await flagOf(later.id, registration(later, { deviceFingerprint }, 30))).toMatchObject({
      status: 'accepted',
    });
  });
});

describe('batches', () => {
  it('answers each item: valid ones stored, invalid ones refused with index, field and reason', async () => {
    const campaign = await seedCampaign(ctx.db);
    const repeat = registration(campaign);
    await postRegistrations(ctx.app, campaign.id, repeat);
    const good = registration(campaign);
    const contactHash = uniq('contact');
    const items = [
      good,
      { ...registration(campaign), registeredAt: campaign.at(-60_000) },
      { ...registration(campaign), channelCode: undefined },
      repeat,
      registration(campaign, { contactHash }),
      registration(campaign, { contactHash }),
      { ...good, registeredAt: campaign.at(20 * 60_000) },
    ];

    const res = await postRegistrations(ctx.app, campaign.id, { items });

    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ accepted: 2, flagged: 1, duplicate_request: 2, rejected: 2 });
    const results = res.body.items as {
      index: number;
      status: string;
      registrationId?: string;
      errors?: unknown[];
    }[];
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'rejected'],
      [3, 'duplicate_request'],
      [4, 'accepted'],
      [5, 'flagged'],
      [6, 'duplicate_request'],
    ]);
    expect(results[1]!.errors).toEqual([
      expect.objectContaining({ field: 'registeredAt', reason: 'outside_window' }),
    ]);
    expect(results[2]!.errors).toEqual([
      expect.objectContaining({ field: 'channelCode', reason: 'required' }),
    ]);
    // The same customer twice in one batch is one registration.
    expect(results[6]!.registrationId).toBe(results[0]!.registrationId);
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(4);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id } })).toBe(3);
  });

  it('refuses a batch of more than 1,000 items as a whole', async () => {
    const campaign = await seedCampaign(ctx.db);
    const res = await postRegistrations(ctx.app, campaign.id, {
      items: Array.from({ length: 1001 }, () => registration(campaign)),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'items' })]);
  });

  it('stores concurrent overlapping batches exactly once per customer', async () => {
    const campaign = await seedCampaign(ctx.db);
    const items = Array.from({ length: 300 }, () => registration(campaign));
    const responses = await Promise.all([
      postRegistrations(ctx.app, campaign.id, { items: items.slice(0, 200) }),
      postRegistrations(ctx.app, campaign.id, { items: items.slice(100) }),
      postRegistrations(ctx.app, campaign.id, { items }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const accepted = responses
      .flatMap((r) => r.body.items)
      .filter((i: { status: string }) => i.status === 'accepted');
    expect(accepted).toHaveLength(300);
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(300);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id } })).toBe(300);
  });
});

describe('the acquisition budget cap', () => {
  async function ingest(campaign: FunnelCampaign, items: unknown[], onBudgetExhausted: () => Promise<void>) {
    const parsed = parseSingleOrBatch(RegistrationItemSchema, { items });
    return ingestRegistrations(ctx.db, campaign, parsed.items, { onBudgetExhausted });
  }

  it('closes acquisition when the budget cannot pay for another registration, and signals the workflow once', async () => {
    // 2,000 budget, 500 per registration: the fourth registration spends it.
    const seeded = await seedCampaign(ctx.db, { plan: { acquisitionBudgetMinor: 2_000 } });
    const campaign = (await loadFunnelCampaign(ctx.db, seeded.id))!;
    let signals = 0;
    const signal = async () => {
      signals++;
    };

    const first = await ingest(
      campaign,
      Array.from({ length: 3 }, () => registration(seeded)),
      signal,
    );
    expect(first.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(signals).toBe(0);

    const second = await ingest(
      campaign,
      [registration(seeded), registration(seeded), registration(seeded, { contactHash: 'x' })],
      signal,
    );
    expect(second.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(second[1]!.errors).toEqual([expect.objectContaining({ reason: 'budget_exhausted' })]);
    expect(signals).toBe(1);

    const third = await ingest(campaign, [registration(seeded)], signal);
    expect(third[0]!.errors).toEqual([expect.objectContaining({ reason: 'budget_exhausted' })]);
    expect(signals).toBe(1);

    const spent = await ctx.db.ledgerEntry.aggregate({
      where: { campaignId: seeded.id },
      _sum: { amountMinor: true },
    });
    expect(spent._sum.amountMinor).toBe(2_000n);
    expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(4);
    expect(
      await ctx.db.auditLog.count({ where: { campaignId: seeded.id, action: 'funnel.budget_exhausted' } }),
    ).toBe(1);
  });

  it('counts other acquisition costs (placement fees) against the cap, over the API', async () => {
    const seeded = await seedCampaign(ctx.db, { plan: { acquisitionBudgetMinor: 10_000 } });
    await bookPlacementFee(ctx.db, seeded, 9_600n);
    const res = await postRegistrations(ctx.app, seeded.id, {
      items: [registration(seeded), registration(seeded)],
    });
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['rejected', 'rejected']);
    expect(res.body.items[0].errors[0].reason).toBe('budget_exhausted');
  });
});
