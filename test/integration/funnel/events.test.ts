// Customer-event ingest on real PostgreSQL: idempotency by event id, per-item refusals, activation by the
// campaign's rule (and not before its conditions hold), activatedAt recorded once, the activation reward,
// the revenue ledger inside and outside the new-customer period, and activation when batches race or a
// candidate changed since it was read.
import { checkRollups } from '../../../evaluation/rollups';
import { recordActivations } from '../../../funnel/ingest/activation-on-arrival';
import { inPgTransaction } from '../../../funnel/ingest/registration-sql';
import { pgPoolOf } from '../../../db/client';
import { loadFunnelCampaign, type FunnelCampaign } from '../../../funnel/ingest/campaign-context';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { postEvents, postRegistrations, registration, seedCampaign, type SeededCampaign } from './fixtures';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

/** Registers a customer `minutes` after the window opened; returns its ref and registration id. */
async function register(campaign: SeededCampaign, minutes = 10, extra: Record<string, unknown> = {}) {
  const body = registration(campaign, extra, minutes);
  const res = await postRegistrations(ctx.app, campaign.id, body);
  expect(res.status).toBe(201);
  return { customerRef: body.customerRef, registrationId: res.body.registrationId as string };
}

const event = (customerRef: string, type: string, at: string, extra: Record<string, unknown> = {}) => ({
  eventId: uniq('evt'),
  customerRef,
  type,
  occurredAt: at,
  ...extra,
});

const registrationOf = (id: string) => ctx.db.registration.findUniqueOrThrow({ where: { id } });

describe('POST /campaigns/:id/events', () => {
  it('stores an event once: a repeat is a duplicate_request, a reused id for another customer is refused', async () => {
    const campaign = await seedCampaign(ctx.db);
    const alice = await register(campaign);
    const bob = await register(campaign);
    const login = event(alice.customerRef, 'login', campaign.at(15 * 60_000));

    const first = await postEvents(ctx.app, campaign.id, login);
    const repeat = await postEvents(ctx.app, campaign.id, login);
    const reused = await postEvents(ctx.app, campaign.id, { ...login, customerRef: bob.customerRef });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'accepted', eventId: login.eventId, inPeriod: true });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ status: 'duplicate_request', eventId: login.eventId });
    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([
      expect.objectContaining({ field: 'eventId', reason: 'event_id_reused' }),
    ]);
    expect(await ctx.db.customerEvent.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it('answers each item of a batch: unknown customers, bad types and missing currencies are refused', async () => {
    const campaign = await seedCampaign(ctx.db);
    const { customerRef } = await register(campaign);
    const at = campaign.at(20 * 60_000);
    const duplicated = event(customerRef, 'login', at);
    const res = await postEvents(ctx.app, campaign.id, {
      items: [
        event(customerRef, 'login', at),
        event(uniq('stranger'), 'login', at),
        event(customerRef, 'lottery_win', at),
        event(customerRef, 'deposit', at, { amountMinor: 100 }),
        duplicated,
        duplicated,
        event(customerRef, 'login', new Date(Date.now() + 3_600_000).toISOString()),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ accepted: 2, flagged: 0, duplicate_request: 1, rejected: 4 });
    const items = res.body.items as { index: number; status: string; errors?: unknown[] }[];
    expect(items[1]!.errors).toEqual([
      expect.objectContaining({ field: 'customerRef', reason: 'customer_not_registered' }),
    ]);
    expect(items[2]!.errors).toEqual([expect.objectContaining({ field: 'type', reason: 'invalid' })]);
    expect(items[3]!.errors).toEqual([expect.objectContaining({ field: 'currency', reason: 'required' })]);
    expect(items[6]!.errors).toEqual([
      expect.objectContaining({ field: 'occurredAt', reason: 'occurred_in_future' }),
    ]);
    expect(await ctx.db.customerEvent.count({ where: { campaignId: campaign.id } })).toBe(2);
  });
});

describe('activation', () => {
  // The fixtures' rule: 3 logins and a deposit of at least ¥100, inside the 2-hour period.
  it('activates when the rule holds, at the event that completed it, and not before', async () => {
    const campaign = await seedCampaign(ctx.db);
    const { customerRef, registrationId } = await register(campaign, 10);
    const at = (minutes: number) => campaign.at(minutes * 60_000);

    const early = await postEvents(ctx.app, campaign.id, {
      items: [
        event(customerRef, 'login', at(11)),
        event(customerRef, 'login', at(12)),
        // Too small to count, and one in another currency.
        event(customerRef, 'deposit', at(13), { amountMinor: 9_999, currency: 'CNY' }),
        event(customerRef, 'deposit', at(13), { amountMinor: 50_000, currency: 'USD' }),
        // Before the registration: outside the period.
        event(customerRef, 'login', at(5)),
      ],
    });
    expect(early.body.items.every((i: { activatedAt?: string }) => i.activatedAt === undefined)).toBe(true);
    expect((await registrationOf(registrationId)).activatedAt).toBeNull();

    await postEvents(
      ctx.app,
      campaign.id,
      event(customerRef, 'deposit', at(14), { amountMinor: 10_000, currency: 'CNY' }),
    );
    expect((await registrationOf(registrationId)).activatedAt).toBeNull();

    const third = await postEvents(ctx.app, campaign.id, event(customerRef, 'login', at(16)));
    expect(third.body.activatedAt).toBe(at(16));
    expect((await registrationOf(registrationId)).activatedAt?.toISOString()).toBe(at(16));

    const reward = await ctx.db.ledgerEntry.findUniqueOrThrow({
      where: { id: `activation:${registrationId}` },
    });
    expect(reward).toMatchObject({
      kind: 'cost',
      scope: 'period',
      category: 'activation_reward',
      amountMinor: 2_000n,
      customerRef,
    });
  });

  it('records activatedAt once: later events, and late events that happened earlier, do not move it or pay twice', async () => {
    const campaign = await seedCampaign(ctx.db);
    const { customerRef, registrationId } = await register(campaign, 10);
    const at = (minutes: number) => campaign.at(minutes * 60_000);
    await postEvents(ctx.app, campaign.id, {
      items: [
        event(customerRef, 'login', at(20)),
        event(customerRef, 'login', at(21)),
        event(customerRef, 'login', at(22)),
        event(customerRef, 'deposit', at(23), { amountMinor: 20_000, currency: 'CNY' }),
      ],
    });
    expect((await registrationOf(registrationId)).activatedAt?.toISOString()).toBe(at(23));

    // Late arrivals: a deposit that happened at minute 15 would have completed the rule earlier.
    const late = await postEvents(ctx.app, campaign.id, {
      items: [
        event(customerRef, 'login', at(11)),
        event(customerRef, 'login', at(12)),
        event(customerRef, 'login', at(13)),
      ],
    });
    await postEvents(
      ctx.app,
      campaign.id,
      event(customerRef, 'deposit', at(15), { amountMinor: 20_000, currency: 'CNY' }),
    );
    expect(late.body.items[0].activatedAt).toBe(at(23));
    expect((await registrationOf(registrationId)).activatedAt?.toISOString()).toBe(at(23));
    expect(
      await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'activation_reward' } }),
    ).toBe(1);
  });

  it('never activates a flagged registration, nor books its revenue', async () => {
    const campaign = await seedCampaign(ctx.db);
    const contactHash = uniq('contact');
    await register(campaign, 10, { contactHash });
    const flagged = await register(campaign, 10, { contactHash });
    expect((await registrationOf(flagged.registrationId)).flagReason).toBe('duplicate_customer');
    const at = (minutes: number) => campaign.at(minutes * 60_000);
    await postEvents(ctx.app, campaign.id, {
      items: [
        event(flagged.customerRef, 'login', at(11)),
        event(flagged.customerRef, 'login', at(12)),
        event(flagged.customerRef, 'login', at(13)),
        event(flagged.customerRef, 'deposit', at(14), {
          amountMinor: 50_000,
          revenueMinor: 120,
          currency: 'CNY',
        }),
      ],
    });
    expect((await registrationOf(flagged.registrationId)).activatedAt).toBeNull();
    expect(
      await ctx.db.ledgerEntry.count({
        where: { campaignId: campaign.id, customerRef: flagged.customerRef },
      }),
    ).toBe(0);
    expect(
      await ctx.db.customerEvent.count({
        where: { campaignId: campaign.id, customerRef: flagged.customerRef },
      }),
    ).toBe(4);
  });
});

describe('revenue', () => {
  it('books revenue of events inside the customer period, once per event, and not before registration', async () => {
    const campaign = await seedCampaign(ctx.db);
    const { customerRef, registrationId } = await register(campaign, 10);
    const registered = await registrationOf(registrationId);
    const inside = event(customerRef, 'product_purchase', campaign.at(30 * 60_000), {
      amountMinor: 88_800,
      revenueMinor: 1_776,
      currency: 'CNY',
    });
    const before = event(customerRef, 'transaction', campaign.at(5 * 60_000), {
      amountMinor: 5_000,
      revenueMinor: 50,
      currency: 'CNY',
    });
    const res = await postEvents(ctx.app, campaign.id, { items: [inside, before, inside] });
    expect(res.body.items.map((i: { status: string; inPeriod?: boolean }) => [i.status, i.inPeriod])).toEqual(
      [
        ['accepted', true],
        ['accepted', false],
        ['duplicate_request', undefined],
      ],
    );

    const revenue = await ctx.db.ledgerEntry.findMany({
      where: { campaignId: campaign.id, kind: 'revenue' },
    });
    expect(revenue).toEqual([
      expect.objectContaining({
        id: `revenue:${inside.eventId}`,
        scope: 'period',
        category: 'revenue',
        channelId: registered.channelId,
        cohortKey: registered.cohortKey,
        customerRef,
        amountMinor: 1_776n,
        currency: 'CNY',
      }),
    ]);
  });

  it('books nothing for an event at or after the end of the period', async () => {
    // A campaign whose window and periods are over: registration two hours ago, a 30-minute period.
    const campaign = await seedCampaign(ctx.db, { plan: { newCustomerPeriod: 'PT30M' } });
    const { customerRef } = await register(campaign, 0);
    const at = (minutes: number) => campaign.at(minutes * 60_000);
    const res = await postEvents(ctx.app, campaign.id, {
      items: [
        event(customerRef, 'transaction', at(29), { amountMinor: 1, revenueMinor: 10, currency: 'CNY' }),
        event(customerRef, 'transaction', at(30), { amountMinor: 1, revenueMinor: 20, currency: 'CNY' }),
        event(customerRef, 'transaction', at(45), { amountMinor: 1, revenueMinor: 30, currency: 'CNY' }),
      ],
    });
    expect(res.body.items.map((i: { inPeriod: boolean }) => i.inPeriod)).toEqual([true, false, false]);
    const revenue = await ctx.db.ledgerEntry.findMany({
      where: { campaignId: campaign.id, kind: 'revenue' },
    });
    expect(revenue.map((r) => r.amountMinor)).toEqual([10n]);
  });
});

describe('activation under concurrency', () => {
  it('two batches racing to activate the same customers activate each once, pay one reward each, and keep the rollups right', async () => {
    const campaign = await seedCampaign(ctx.db);
    const customers = await Promise.all(Array.from({ length: 20 }, () => register(campaign, 10)));
    const at = (minutes: number) => campaign.at(minutes * 60_000);
    // Each batch completes the rule for every customer on its own (its own event ids): whichever commits
    // second finds them activated.
    const batch = (minute: number) => ({
      items: customers.flatMap(({ customerRef }) => [
        event(customerRef, 'login', at(minute)),
        event(customerRef, 'login', at(minute + 1)),
        event(customerRef, 'login', at(minute + 2)),
        event(customerRef, 'deposit', at(minute + 3), {
          amountMinor: 10_000,
          revenueMinor: 7,
          currency: 'CNY',
        }),
      ]),
    });
    const [first, second] = await Promise.all([
      postEvents(ctx.app, campaign.id, batch(20)),
      postEvents(ctx.app, campaign.id, batch(40)),
    ]);
    expect([first.body.summary.accepted, second.body.summary.accepted]).toEqual([80, 80]);

    const rows = await ctx.db.registration.findMany({ where: { campaignId: campaign.id } });
    expect(rows.every((r) => r.activatedAt !== null)).toBe(true);
    // Each customer's activation is one batch's completing deposit, whichever committed first.
    for (const r of rows) expect([at(23), at(43)]).toContain(r.activatedAt?.toISOString());
    expect(
      await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'activation_reward' } }),
    ).toBe(20);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'revenue' } })).toBe(
      40,
    );
    expect(await checkRollups(ctx.db, campaign.id)).toEqual([]);
  });

  it('touches no candidate that was flagged or activated since it was read, and pays no reward for it', async () => {
    const campaign = await seedCampaign(ctx.db);
    const [flagged, activated, fresh] = await Promise.all([
      register(campaign),
      register(campaign),
      register(campaign),
    ]);
    const at = (minutes: number) => campaign.at(minutes * 60_000);
    // Facts that complete the rule for each of them, stored directly (the ingest would activate them).
    const facts = (customerRef: string) =>
      [
        ...[11, 12, 13].map((m) => ({ type: 'login', occurredAt: at(m) })),
        { type: 'deposit', occurredAt: at(14), amountMinor: 10_000n, currency: 'CNY' },
      ].map((e) => ({
        ...e,
        eventId: uniq('evt'),
        campaignId: campaign.id,
        customerRef,
        occurredAt: new Date(e.occurredAt),
      }));
    await ctx.db.customerEvent.createMany({
      data: [flagged, activated, fresh].flatMap(({ customerRef }) => facts(customerRef)),
    });
    // Read as candidates first (as the ingest does), then changed by someone else before the update.
    const candidates = await ctx.db.registration.findMany({
      where: { id: { in: [flagged.registrationId, activated.registrationId, fresh.registrationId] } },
    });
    await ctx.db.registration.update({
      where: { id: flagged.registrationId },
      data: { flagReason: 'duplicate_customer' },
    });
    await ctx.db.registration.update({
      where: { id: activated.registrationId },
      data: { activatedAt: new Date(at(30)) },
    });

    const loaded = await loadFunnelCampaign(ctx.db, campaign.id);
    const recorded = await inPgTransaction(pgPoolOf(ctx.db), (client) =>
      recordActivations(client, loaded as FunnelCampaign, candidates),
    );

    expect([...recorded.keys()]).toEqual([fresh.registrationId]);
    expect((await registrationOf(flagged.registrationId)).activatedAt).toBeNull();
    expect((await registrationOf(activated.registrationId)).activatedAt?.toISOString()).toBe(at(30));
    expect((await registrationOf(fresh.registrationId)).activatedAt?.toISOString()).toBe(at(14));
    const rewards = await ctx.db.ledgerEntry.findMany({
      where: { campaignId: campaign.id, category: 'activation_reward' },
    });
    expect(rewards.map((r) => r.id)).toEqual([`activation:${fresh.registrationId}`]);
  });
});
