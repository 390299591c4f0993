// The contact policy and consent on real PostgreSQL and the channel simulator (issue 12 items 1 and 2):
// the policy's versions and every refusal (naming the field, changing nothing); the cohort step's delivery
// under a cap (a re-run is not a second contact), in quiet hours, and with an opt-out arriving while the step
// is sending; consent refusals; the export and an erasure after which the evaluation is the same.
// The contact policy is deployment-wide, so this file runs on a database of its own.
import request from 'supertest';
import {
  createCohortStepActivities,
  messageIdFor,
  type CohortStepResult,
} from '../../../activities/cohort-steps';
import type { Clock } from '../../../activities/deps';
import { evaluateAndStore } from '../../../evaluation/store';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { createOwnDatabase, type OwnDatabase } from '../../support/own-database';
import { simulatorClient } from '../../support/simulator';
import {
  postEvents,
  postRegistrations,
  registration,
  seedCampaign,
  type SeededCampaign,
} from '../funnel/fixtures';
import { asMarketer, putContactPolicy } from './fixtures';

let own: OwnDatabase;
let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;

beforeAll(async () => {
  own = await createOwnDatabase();
  ctx = await createTestContext({ worker: false, databaseUrl: own.url });
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(async () => {
  await ctx.stop();
  await own.drop();
});

const asOps = { 'X-Role': 'ops', 'X-Actor': 'olga' };

const POLICY = {
  timeZone: 'Asia/Shanghai',
  frequencyCaps: [
    { scope: 'overall', max: 2, per: 'P7D' },
    { scope: 'per_channel', max: 1, per: 'P1D' },
  ],
  exemptKinds: [],
  quietHours: null,
  priorities: { default: 0, campaigns: [] },
};

async function currentVersion(): Promise<number> {
  const res = await request(ctx.app).get('/contact-policy').set(asOps);
  expect(res.status).toBe(200);
  return res.body.version as number;
}

/** Stores `policy` as the next version, whatever the current one is. */
const putPolicy = async (policy: object) => putContactPolicy(ctx.app, policy, await currentVersion());

function stepRunner(clock?: Clock) {
  return createCohortStepActivities({
    db: ctx.db,
    clock: clock ?? { now: () => new Date() },
    simulatorUrl: ctx.simulatorUrl,
  }).runCohortStep;
}

/** A campaign of steps through channel 0; customers register through channel 1. */
function campaignWith(steps: { id: string; kind: 'education' | 'engagement' }[]) {
  return seedCampaign(ctx.db, {
    steps: ({ channelCodes, materialVersionId }) =>
      steps.map((s) => ({
        ...s,
        offset: 'PT1M',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'treatment_all' as const,
        costPerMessageMinor: 7,
      })),
  });
}

async function register(
  campaign: SeededCampaign,
  refs: string[],
  extra: (ref: string) => object = () => ({}),
) {
  const items = refs.map((customerRef) =>
    registration(campaign, { customerRef, channelCode: campaign.channels[1]!.code, ...extra(customerRef) }),
  );
  for (let i = 0; i < items.length; i += 1000) {
    const res = await postRegistrations(ctx.app, campaign.id, { items: items.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
  const rows = await ctx.db.registration.findMany({
    where: { campaignId: campaign.id },
    orderBy: { id: 'asc' },
  });
  return { rows, cohortKey: rows[0]!.cohortKey };
}

async function delivered(campaign: SeededCampaign, stepId: string): Promise<string[]> {
  const result = (await sim.messages(
    campaign.channels[0]!.code,
    `?campaignId=${campaign.id}&stepId=${stepId}&limit=100000`,
  )) as { messages: { customerRef: string }[] };
  return result.messages.map((m) => m.customerRef).sort();
}

const refsOf = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}-${Date.now()}`);

const withheld = (over: Partial<CohortStepResult['withheld']> = {}) => ({
  opted_out: 0,
  quiet_hours: 0,
  frequency_capped: 0,
  lower_priority: 0,
  ...over,
});

describe('GET / PUT /contact-policy', () => {
  it('starts at version 0 (nothing capped), stores versions, keeps the old ones readable and audits each', async () => {
    const none = await request(ctx.app).get('/contact-policy').set(asMarketer);
    expect(none.status).toBe(200);
    expect(none.headers.etag).toBe('"0"');
    expect(none.body).toMatchObject({ version: 0, policy: { frequencyCaps: [], quietHours: null } });

    const first = await request(ctx.app)
      .put('/contact-policy')
      .set(asMarketer)
      .set('If-Match', '"0"')
      .send(POLICY);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect(first.body).toMatchObject({ version: 1, createdBy: 'mia', policy: POLICY });

    const edited = { ...POLICY, exemptKinds: ['education'] };
    const second = await request(ctx.app)
      .put('/contact-policy')
      .set(asMarketer)
      .set('If-Match', '"1"')
      .send(edited);
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);

    expect((await request(ctx.app).get('/contact-policy').set(asOps)).body).toMatchObject({
      version: 2,
      policy: edited,
    });
    const old = await request(ctx.app).get('/contact-policy/versions/1').set(asOps);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ version: 1, policy: POLICY });
    const list = await request(ctx.app).get('/contact-policy/versions?limit=1').set(asOps);
    expect(list.body).toMatchObject({ items: [{ version: 2 }], nextBefore: 2 });
    const next = await request(ctx.app).get('/contact-policy/versions?limit=1&before=2').set(asOps);
    expect(next.body).toMatchObject({ items: [{ version: 1 }], nextBefore: null });
    const audit = await ctx.db.auditLog.findMany({
      where: { action: 'contact_policy.put' },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.actor, (a.payload as { version: number }).version])).toEqual([
      ['mia', 1],
      ['mia', 2],
    ]);
  });

  it('refuses, naming the field, and changes nothing: contradictions, a stale or missing If-Match, unknown campaigns', async () => {
    const before = await currentVersion();
    const audits = await ctx.db.auditLog.count({ where: { action: 'contact_policy.put' } });
    const put = (body: object, ifMatch: string | null = `"${before}"`) => {
      const req = request(ctx.app).put('/contact-policy').set(asMarketer);
      return (ifMatch === null ? req : req.set('If-Match', ifMatch)).send(body);
    };
    const fieldsOf = (res: request.Response) => (res.body.errors as { field: string }[]).map((e) => e.field);

    const contradictory = await put({
      ...POLICY,
      frequencyCaps: [
        { scope: 'overall', max: 2, per: 'P7D' },
        { scope: 'per_channel', max: 3, per: 'P1D' },
      ],
    });
    expect(contradictory.status).toBe(400);
    expect(contradictory.type).toBe('application/problem+json');
    expect(fieldsOf(contradictory)).toEqual(['frequencyCaps.1.max']);

    const allExempt = await put({ ...POLICY, exemptKinds: ['education', 'engagement'] });
    expect(fieldsOf(allExempt)).toEqual(['exemptKinds']);

    const typo = await put({ ...POLICY, quietHour: null });
    expect(typo.status).toBe(400);
    expect(fieldsOf(typo)).toContain('quietHour');

    const stale = await put(POLICY, `"${before - 1}"`);
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: before, errors: [{ field: 'header.If-Match' }] });

    const missing = await put(POLICY, null);
    expect(missing.status).toBe(428);
    expect(fieldsOf(missing)).toEqual(['header.If-Match']);

    const unknown = await put({
      ...POLICY,
      priorities: {
        default: 0,
        campaigns: [{ campaignId: '00000000-0000-4000-8000-000000000000', priority: 3 }],
      },
    });
    expect(unknown.status).toBe(422);
    expect(fieldsOf(unknown)).toEqual(['priorities.campaigns.0.campaignId']);

    expect(await currentVersion()).toBe(before);
    expect(await ctx.db.auditLog.count({ where: { action: 'contact_policy.put' } })).toBe(audits);

    // `If-Match: *` overwrites whatever is current, on purpose.
    const anyVersion = await put(POLICY, '*');
    expect(anyVersion.status).toBe(200);
    expect(anyVersion.body.version).toBe(before + 1);
  });
});

describe('the contact check at delivery', () => {
  it('caps per channel per day: a second step the same day is frequency_capped, a re-run is not a second contact', async () => {
    await putPolicy(POLICY);
    const campaign = await campaignWith([
      { id: 'welcome', kind: 'engagement' },
      { id: 'again', kind: 'engagement' },
    ]);
    const refs = refsOf('cap', 12);
    const { cohortKey } = await register(campaign, refs);
    const run = stepRunner();

    const first = await run({ campaignId: campaign.id, cohortKey, stepId: 'welcome' });
    expect(first).toMatchObject({ delivered: 12, withheld: withheld() });
    // The same step again (a retry, a re-run after a pause): nobody is contacted or counted twice.
    const rerun = await run({ campaignId: campaign.id, cohortKey, stepId: 'welcome' });
    expect(rerun).toMatchObject({ delivered: 0, alreadyDelivered: 12 });
    expect(
      await ctx.db.contactDecision.count({ where: { campaignId: campaign.id, outcome: 'reserved' } }),
    ).toBe(12);

    const second = await run({ campaignId: campaign.id, cohortKey, stepId: 'again' });
    expect(second).toEqual({
      delivered: 0,
      skipped: 12,
      alreadyDelivered: 0,
      withheld: withheld({ frequency_capped: 12 }),
    });
    expect(await delivered(campaign, 'welcome')).toEqual([...refs].sort());
    expect(await delivered(campaign, 'again')).toEqual([]);
    // Withheld messages are no cost, and the funnel and the step's results count them.
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'message' } })).toBe(
      12,
    );
    const funnel = await request(ctx.app).get(`/campaigns/${campaign.id}/funnel`).set(asOps);
    expect(funnel.body.messages).toMatchObject({
      total: 12,
      withheld: { total: 12, byReason: { frequency_capped: 12 } },
      byStep: [
        { stepId: 'welcome', delivered: 12, withheld: withheld() },
        { stepId: 'again', delivered: 0, costMinor: 0, withheld: withheld({ frequency_capped: 12 }) },
      ],
    });
    const cohort = await ctx.db.cohort.findUniqueOrThrow({
      where: { campaignId_cohortKey: { campaignId: campaign.id, cohortKey } },
    });
    expect(cohort.steps).toMatchObject({
      again: { status: 'completed', withheld: { frequency_capped: 12 } },
    });
  });

  it('withholds every message in quiet hours (the bank time zone), records the reason, costs nothing', async () => {
    await putPolicy({ ...POLICY, quietHours: { start: '22:00', end: '08:00' } });
    const campaign = await campaignWith([{ id: 'night', kind: 'education' }]);
    const refs = refsOf('quiet', 8);
    const { cohortKey } = await register(campaign, refs);
    // 23:30 in Shanghai.
    const night = { now: () => new Date(new Date().toISOString().slice(0, 10) + 'T15:30:00Z') };

    const result = await stepRunner(night)({ campaignId: campaign.id, cohortKey, stepId: 'night' });

    expect(result).toEqual({
      delivered: 0,
      skipped: 8,
      alreadyDelivered: 0,
      withheld: withheld({ quiet_hours: 8 }),
    });
    expect(await delivered(campaign, 'night')).toEqual([]);
    expect(await ctx.db.message.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'message' } })).toBe(
      0,
    );
    const decision = await ctx.db.contactDecision.findUniqueOrThrow({
      where: { messageId: messageIdFor(campaign.id, 'night', refs[0]!) },
    });
    expect(decision).toMatchObject({ outcome: 'quiet_hours', counted: false });
    await putPolicy(POLICY);
  });

  it('an opt-out arriving while the step is sending: no message reaches the customer after it', async () => {
    await putPolicy({ ...POLICY, frequencyCaps: [] });
    const campaign = await campaignWith([{ id: 'slow', kind: 'engagement' }]);
    // 520 customers: a first page of 500 (five batches of 100, four at a time), then a page of 20.
    const refs = refsOf('optout', 520);
    const { rows, cohortKey } = await register(campaign, refs);
    const lastPage = rows.slice(500).map((r) => r.customerRef);
    const channelCode = campaign.channels[0]!.code;
    await sim.fault({ channelCode, operations: ['deliver'], latencyMs: 2_500 });
    try {
      const running = stepRunner()({ campaignId: campaign.id, cohortKey, stepId: 'slow' });
      // Positive signal: the step is sending (the first batches have reached the channel).
      await eventually(async () => (await delivered(campaign, 'slow')).length > 0, 60_000, 100);
      const optOuts = await Promise.all(
        lastPage.map((ref) =>
          request(ctx.app)
            .post(`/customers/${encodeURIComponent(ref)}/consent`)
            .set(asOps)
            .send({ decision: 'opt_out', reason: 'customer called the hotline' }),
        ),
      );
      expect(optOuts.map((r) => r.status)).toEqual(lastPage.map(() => 201));
      const result = await running;

      expect(result.withheld).toEqual(withheld({ opted_out: 20 }));
      expect(result.delivered).toBe(500);
      const got = new Set(await delivered(campaign, 'slow'));
      expect(got.size).toBe(500);
      expect(lastPage.filter((ref) => got.has(ref))).toEqual([]);
      // The opt-outs were recorded before these messages were decided (the test's premise held).
      const decisions = await ctx.db.contactDecision.findMany({ where: { customerRef: { in: lastPage } } });
      expect(decisions.map((d) => d.outcome)).toEqual(lastPage.map(() => 'opted_out'));
    } finally {
      await sim.clearFaults(channelCode);
    }
  });
});

describe('consent, export and erasure', () => {
  it('refuses consent naming the field, changing nothing: another channel, all marketing, an unknown channel, a bad decision', async () => {
    const campaign = await campaignWith([{ id: 'welcome', kind: 'engagement' }]);
    const [ref] = refsOf('consent', 1);
    await register(campaign, [ref!]);
    const own = campaign.channels[0]!.code;
    const post = (headers: Record<string, string>, body: object) =>
      request(ctx.app)
        .post(`/customers/${encodeURIComponent(ref!)}/consent`)
        .set(headers)
        .send(body);
    const channelKey = { 'X-Role': 'channel-system', 'X-Actor': 'partner', 'X-Channels': own };

    const other = await post(channelKey, { decision: 'opt_out', channelCode: campaign.channels[1]!.code });
    expect(other.status).toBe(403);
    expect(other.body.errors).toEqual([{ field: 'channelCode', message: expect.any(String) }]);
    const all = await post(channelKey, { decision: 'opt_out' });
    expect(all.status).toBe(403);
    expect(all.body.errors[0].field).toBe('channelCode');
    const unknown = await post(asOps, { decision: 'opt_out', channelCode: 'no-such-channel' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('channelCode');
    const bad = await post(asOps, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('decision');
    expect(await ctx.db.consentRecord.count({ where: { customerRef: ref! } })).toBe(0);

    const mine = await post(channelKey, { decision: 'opt_out', channelCode: own });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({
      recorded: { scope: own, decision: 'opt_out', source: `channel:${own}`, actor: 'partner' },
      consents: [{ scope: own, decision: 'opt_out' }],
    });
    const list = await request(ctx.app).get(`/suppression-list?channelCode=${own}`).set(asOps);
    expect(list.body.items).toEqual(
      expect.arrayContaining([{ customerRef: ref, scope: own, since: expect.any(String) }]),
    );
    // Opting in again ends the suppression; the history keeps both.
    expect((await post(asOps, { decision: 'opt_in', channelCode: own })).status).toBe(201);
    const after = await request(ctx.app).get(`/suppression-list?channelCode=${own}`).set(asOps);
    expect(after.body.items.filter((i: { customerRef: string }) => i.customerRef === ref)).toEqual([]);
    // Marketers never see a person.
    expect(
      (
        await request(ctx.app)
          .get(`/customers/${encodeURIComponent(ref!)}`)
          .set(asMarketer)
      ).status,
    ).toBe(403);
  });

  it('exports what is held about a customer; erasure pseudonymises it and the evaluation stays the same', async () => {
    await putPolicy({ ...POLICY, frequencyCaps: [] });
    const campaign = await campaignWith([{ id: 'welcome', kind: 'engagement' }]);
    const refs = refsOf('erase', 6);
    const { cohortKey } = await register(campaign, refs, (ref) => ({
      deviceFingerprint: `dev-${ref}`,
      attributes: { age: 29, cityTier: 'tier1', job: 'teacher', name: 'Li Wei' },
    }));
    await stepRunner()({ campaignId: campaign.id, cohortKey, stepId: 'welcome' });
    const target = refs[0]!;
    const events = await postEvents(ctx.app, campaign.id, {
      items: [
        {
          eventId: `ev-${target}-1`,
          customerRef: target,
          type: 'deposit',
          amountMinor: 50_000,
          currency: 'CNY',
          occurredAt: campaign.at(20 * 60_000),
        },
      ],
    });
    expect(events.status).toBe(200);
    const now = new Date();
    const before = await evaluateAndStore(ctx.db, { campaignId: campaign.id, provisional: true, now });

    const exported = await request(ctx.app)
      .get(`/customers/${encodeURIComponent(target)}`)
      .set(asOps);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({
      customerRef: target,
      erasure: null,
      registrations: [{ campaignId: campaign.id, attributes: { age: 29, name: 'Li Wei' } }],
      messages: [{ campaignId: campaign.id, stepId: 'welcome' }],
      events: [{ type: 'deposit', amountMinor: '50000' }],
    });

    const erased = await request(ctx.app)
      .post(`/customers/${encodeURIComponent(target)}/erasure`)
      .set(asOps)
      .send({});
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ alreadyErased: false, registrations: 1 });
    const again = await request(ctx.app)
      .post(`/customers/${encodeURIComponent(target)}/erasure`)
      .set(asOps)
      .send({});
    expect(again.body).toMatchObject({ alreadyErased: true, registrations: 1 });

    const afterExport = await request(ctx.app)
      .get(`/customers/${encodeURIComponent(target)}`)
      .set(asOps);
    const reg = afterExport.body.registrations[0];
    expect(reg.attributes).toEqual({ ageBand: '25-34', cityTier: 'tier1' });
    expect(reg.deviceFingerprint).toMatch(/^erased:[0-9a-f]{64}$/);
    expect(afterExport.body.erasure).toMatchObject({ requestedBy: 'olga' });
    // The evaluation's facts are untouched: the same digest (so no new version) and the same report.
    const after = await evaluateAndStore(ctx.db, { campaignId: campaign.id, provisional: true, now });
    expect(after.reused).toBe(true);
    expect(after.report.factsDigest).toBe(before.report.factsDigest);
    expect(after.report.report).toEqual(before.report.report);
  });
});
