// Fraud found after the fact and cost corrections, on real Temporal + PostgreSQL + the simulator: a campaign
// runs to its automatic evaluation; a registration flagged while the campaign runs leaves its cohort (the
// channel never receives its message); a registration flagged after the evaluation is clawed back by signed
// reversals and a new final evaluation version whose AAC, CAC, LROI and fraud rate equal this test's own
// arithmetic over the facts it sent; a downward cost correction does the same; every refusal changes no row;
// and retries are one flag, one correction.
import request from 'supertest';
import { createTestContext, type TestContext, untilPhase } from '../../support/context';
import { campaignRequest, seedMaterial, uniq } from '../../support/fixtures';
import { simulatorClient } from '../../support/simulator';
import { expectExact } from '../evaluation/independent';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;

beforeAll(async () => {
  ctx = await createTestContext();
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(() => ctx.stop());

const INCENTIVE = 500;
const ACTIVATION_REWARD = 1_000;
const FEE_PER_REGISTRATION = 300; // channel A: per_registration
const PLACEMENT_FEE = 10_000; // channel B: fixed_per_placement
const WELCOME_COST = 7;

interface Exact {
  numerator: string;
  denominator: string;
}
interface Row {
  key: string;
  funnel: { registrationsValid: number; activated: number; registrationsFraudFlagged: number };
  costs: { acquisition: { minor: number }; period: { minor: number } };
  revenue: { minor: number };
  cac: { exact: Exact };
  aac: { exact: Exact };
  lroi: { exact: Exact };
  fraudRate: { defined: boolean; exact: Exact };
}

const asAntiFraud = { 'X-Role': 'anti-fraud', 'X-Actor': 'kyc-screening' };
const asMarketer = { 'X-Role': 'marketer', 'X-Actor': 'li.wei' };

async function seedTwoChannels() {
  const prefix = uniq('adj');
  const common = {
    kind: 'ecosystem_scenario' as const,
    onlineType: 'ecommerce' as const,
    department: 'digital',
    canShowMaterial: true,
    canDeliverMessages: true,
    adapter: { type: 'simulator' },
  };
  await ctx.db.channel.createMany({
    data: [
      {
        ...common,
        code: `${prefix}-a`,
        name: 'Per-registration channel',
        costModel: { type: 'per_registration', amountMinor: FEE_PER_REGISTRATION, currency: 'CNY' },
      },
      {
        ...common,
        code: `${prefix}-b`,
        name: 'Fixed-fee channel with a one-second post-attribution window',
        costModel: { type: 'fixed_per_placement', amountMinor: PLACEMENT_FEE, currency: 'CNY' },
        postAttributionWindow: 'PT1S',
      },
    ],
  });
  return ctx.db.channel.findMany({ where: { code: { startsWith: prefix } }, orderBy: { code: 'asc' } });
}

/** Row counts of everything an adjustment writes: a refusal must leave them all as they were. */
async function counts(campaignId: string) {
  const [ledger, flags, corrections, evaluations, excluded] = await Promise.all([
    ctx.db.ledgerEntry.count({ where: { campaignId } }),
    ctx.db.fraudFlag.count({ where: { campaignId } }),
    ctx.db.costCorrection.count({ where: { campaignId } }),
    ctx.db.evaluationReport.count({ where: { campaignId } }),
    ctx.db.registration.count({ where: { campaignId, flagReason: { not: null } } }),
  ]);
  return { ledger, flags, corrections, evaluations, excluded };
}

function expectRatios(
  row: Row,
  acquisition: number,
  valid: number,
  activated: number,
  revenue: number,
  period: number,
) {
  expect(row.funnel.registrationsValid).toBe(valid);
  expect(row.funnel.activated).toBe(activated);
  expect(row.costs.acquisition.minor).toBe(acquisition);
  expect(row.costs.period.minor).toBe(period);
  expect(row.revenue.minor).toBe(revenue);
  expectExact(row.cac.exact, acquisition, valid);
  expectExact(row.aac.exact, acquisition, activated);
  expectExact(row.lroi.exact, revenue, period);
}

describe('fraud flags and cost corrections on a real campaign', () => {
  it('claws back a late fraud flag and a cost correction into new evaluation versions equal to an independent computation', async () => {
    const [channelA, channelB] = await seedTwoChannels();
    const [a, b] = [channelA!.code, channelB!.code];
    const { material, version } = await seedMaterial(ctx.db);
    const now = Date.now();
    const body = campaignRequest([a, b], material.id, {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 6000).toISOString(),
      },
      cohortGranularity: 'PT10S',
      newCustomerPeriod: 'PT6S',
      incentive: { perRegistrationMinor: INCENTIVE, perActivationMinor: ACTIVATION_REWARD },
      activationRule: { event: 'transaction', minAmountMinor: 10_000, atLeast: 1 },
      engagementPlan: {
        steps: [
          {
            id: 'welcome',
            offset: 'PT2S',
            kind: 'education',
            materialVersionId: version.id,
            channelCode: a,
            audience: 'not_activated',
            costPerMessageMinor: WELCOME_COST,
          },
        ],
      },
    });
    const created = await request(ctx.app).post('/campaigns').set(asMarketer).send(body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await untilPhase(ctx.app, id, 'acquiring');

    // 12 customers: even ones through A, odd ones through B; i % 3 === 0 activate.
    const prefix = uniq('cust');
    const customers = Array.from({ length: 12 }, (_, i) => ({
      customerRef: `${prefix}-${i}`,
      channelCode: i % 2 === 0 ? a : b,
      registeredAt: new Date().toISOString(),
    }));
    const reg = await request(ctx.app)
      .post(`/campaigns/${id}/registrations`)
      .set({ 'X-Role': 'channel-system', 'X-Channels': `${a},${b}` })
      .send({ items: customers });
    expect(reg.body.summary).toMatchObject({ accepted: 12 });
    const ref = (i: number) => customers[i]!.customerRef;

    // While the campaign runs: customer 2 (A, never active) is flagged. A provisional version follows.
    const early = await request(ctx.app)
      .post(`/campaigns/${id}/registrations/${ref(2)}/flags`)
      .set(asAntiFraud)
      .send({ reason: 'fake_identity', note: 'case AF-1' });
    expect(early.status).toBe(201);
    expect(early.body.evaluation).toMatchObject({ status: 'computed', version: 1, provisional: true });
    expect(
      early.body.flag.reversals.map((r: { amount: { minor: number } }) => r.amount.minor).sort(),
    ).toEqual([-FEE_PER_REGISTRATION, -INCENTIVE]);

    const activated = new Set([0, 3, 6, 9]);
    const revenueOf = (i: number) => (activated.has(i) ? 300 + i : i % 3 === 1 ? 50 : 0);
    const events = customers.flatMap((c, i) =>
      activated.has(i) || i % 3 === 1
        ? [
            {
              eventId: `${c.customerRef}-tx`,
              customerRef: c.customerRef,
              type: 'transaction',
              amountMinor: activated.has(i) ? 20_000 : 5_000,
              revenueMinor: revenueOf(i),
              currency: 'CNY',
              occurredAt: new Date().toISOString(),
            },
          ]
        : [],
    );
    const ev = await request(ctx.app)
      .post(`/campaigns/${id}/events`)
      .set({ 'X-Role': 'channel-system', 'X-Channels': `${a},${b}` })
      .send({ items: events });
    expect(ev.body.summary.accepted).toBe(events.length);

    const result = await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).result();
    expect(result.phase).toBe('completed');
    const final = await request(ctx.app).get(`/campaigns/${id}/evaluation`);
    expect(final.body).toMatchObject({ version: 2, provisional: false });

    // The flagged customer left its cohort: the channel never received its welcome message.
    const messages = (
      (await sim.messages(a, `?campaignId=${id}&limit=1000`)) as { messages: { customerRef: string }[] }
    ).messages.map((m) => m.customerRef);
    expect(messages).not.toContain(ref(2));
    // The step goes through A to every valid customer not activated, whichever channel brought them.
    expect(messages.sort()).toEqual([1, 4, 5, 7, 8, 10, 11].map(ref).sort());
    const period0 = messages.length * WELCOME_COST;

    // --- A late flag after the evaluation: customer 0 (A, activated). ---
    const before = await counts(id);
    const originals = await ctx.db.ledgerEntry.findMany({ where: { campaignId: id, adjustsEntryId: null } });
    const late = await request(ctx.app)
      .post(`/campaigns/${id}/registrations/${ref(0)}/flags`)
      .set(asAntiFraud)
      .send({ reason: 'device_farm' });
    expect(late.status).toBe(201);
    expect(late.body.created).toBe(true);
    expect(late.body.evaluation).toEqual({
      status: 'computed',
      version: 3,
      provisional: false,
      reused: false,
    });
    const registrationId = late.body.flag.registrationId as string;
    expect(late.body.flag.reversals).toEqual([
      {
        entryId: `reversal:activation:${registrationId}`,
        adjustsEntryId: `activation:${registrationId}`,
        category: 'activation_reward',
        amount: { minor: -ACTIVATION_REWARD, currency: 'CNY' },
      },
      {
        entryId: `reversal:channelfee:${registrationId}`,
        adjustsEntryId: `channelfee:${registrationId}`,
        category: 'channel_fee',
        amount: { minor: -FEE_PER_REGISTRATION, currency: 'CNY' },
      },
      {
        entryId: `reversal:incentive:${registrationId}`,
        adjustsEntryId: `incentive:${registrationId}`,
        category: 'registration_incentive',
        amount: { minor: -INCENTIVE, currency: 'CNY' },
      },
    ]);
    expect(await counts(id)).toEqual({
      ...before,
      ledger: before.ledger + 3,
      flags: 2,
      evaluations: 3,
      excluded: 2,
    });
    // Nothing booked before was edited or deleted.
    const afterwards = await ctx.db.ledgerEntry.findMany({
      where: { id: { in: originals.map((e) => e.id) } },
    });
    expect(afterwards.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      originals.sort((x, y) => x.id.localeCompare(y.id)),
    );

    // The independent computation, from the facts this test sent.
    const validRefs = [...Array(12).keys()].filter((i) => i !== 0 && i !== 2);
    const validA = validRefs.filter((i) => i % 2 === 0);
    const activatedValid = validRefs.filter((i) => activated.has(i));
    const revenue = validRefs.reduce((sum, i) => sum + revenueOf(i), 0);
    const acquisition = PLACEMENT_FEE + validRefs.length * INCENTIVE + validA.length * FEE_PER_REGISTRATION;
    const period = period0 + activatedValid.length * ACTIVATION_REWARD;
    const v3 = await request(ctx.app).get(`/campaigns/${id}/evaluation`);
    expect(v3.body.version).toBe(3);
    const overall = v3.body.report.overall as Row;
    expectRatios(overall, acquisition, validRefs.length, activatedValid.length, revenue, period);
    expect(overall.funnel.registrationsFraudFlagged).toBe(2);
    expectExact(overall.fraudRate.exact, 2, validRefs.length + 2);
    const rowA = (v3.body.report.byChannel as Row[]).find((r) => r.key === channelA!.id)!;
    const rowB = (v3.body.report.byChannel as Row[]).find((r) => r.key === channelB!.id)!;
    expectExact(rowA.fraudRate.exact, 2, validA.length + 2);
    expectExact(rowA.cac.exact, validA.length * (INCENTIVE + FEE_PER_REGISTRATION), validA.length);
    expectExact(rowB.fraudRate.exact, 0, 6);
    const csv = await request(ctx.app).get(`/campaigns/${id}/evaluation/channels.csv`).set(asMarketer);
    const [header, ...lines] = csv.text.trimEnd().split('\r\n');
    const columns = header!.split(',');
    const csvA = lines.map((line) => line.split(',')).find((cells) => cells[1] === channelA!.id)!;
    expect(csvA[columns.indexOf('registrationsFraudFlagged')]).toBe('2');
    expect(csvA[columns.indexOf('fraudRate')]).toBe('0.333333'); // 2 ÷ (4 + 2)
    // The version before is kept and readable, unchanged.
    const v2 = await request(ctx.app).get(`/campaigns/${id}/evaluation?version=2`);
    expect(v2.body).toEqual(final.body);

    // The same flag again is the same flag: nothing written, the same version.
    const again = await request(ctx.app)
      .post(`/campaigns/${id}/registrations/${ref(0)}/flags`)
      .set(asAntiFraud)
      .send({ reason: 'device_farm' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, evaluation: { version: 3, reused: true } });
    const settled = await counts(id);
    expect(settled).toEqual({ ...before, ledger: before.ledger + 3, flags: 2, evaluations: 3, excluded: 2 });

    // Refusals, each naming the field, each changing nothing.
    const refusals: [Record<string, string>, string, object, number, string][] = [
      [asAntiFraud, ref(4), { reason: 'chargeback' }, 400, 'reason'],
      [asAntiFraud, ref(0), { reason: 'incentive_abuse' }, 409, 'reason'],
      [asAntiFraud, ref(3), { reason: 'device_farm' }, 422, 'params.customerRef'],
      [asAntiFraud, 'nobody', { reason: 'device_farm' }, 404, 'params.customerRef'],
    ];
    for (const [headers, customerRef, payload, status, field] of refusals) {
      const res = await request(ctx.app)
        .post(`/campaigns/${id}/registrations/${customerRef}/flags`)
        .set(headers)
        .send(payload);
      expect({ customerRef, status: res.status }).toEqual({ customerRef, status });
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const outside = await request(ctx.app)
      .post(`/campaigns/${id}/registrations/${ref(3)}/flags`)
      .set(asAntiFraud)
      .send({ reason: 'device_farm' });
    expect(outside.body.type).toMatch(/post-attribution-window-closed$/);
    expect(outside.body.detail).toMatch(/post-attribution window \(PT1S\) closed at/);
    const forbidden = await request(ctx.app)
      .post(`/campaigns/${id}/registrations/${ref(4)}/flags`)
      .set(asMarketer)
      .send({ reason: 'device_farm' });
    expect(forbidden.status).toBe(403);
    expect(await counts(id)).toEqual(settled);

    // --- A downward correction of channel B's placement fee. ---
    const placement = await ctx.db.placement.findFirstOrThrow({
      where: { campaignId: id, channelId: channelB!.id },
    });
    const correction = {
      target: { type: 'placement_fee', placementId: placement.id },
      amountMinor: -2_500,
      currency: 'CNY',
      reason: 'the channel invoiced a discounted fee',
    };
    const corrected = await request(ctx.app)
      .post(`/campaigns/${id}/cost-corrections`)
      .set({ ...asMarketer, 'Idempotency-Key': `corr-${id}` })
      .send(correction);
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({
      correction: {
        correctsEntryId: `fee:${placement.id}`,
        category: 'placement_fee',
        channelCode: b,
        amount: { minor: -2_500, currency: 'CNY' },
        actor: 'li.wei',
      },
      totalBefore: { minor: PLACEMENT_FEE, currency: 'CNY' },
      totalAfter: { minor: PLACEMENT_FEE - 2_500, currency: 'CNY' },
      evaluation: { status: 'computed', version: 4, provisional: false, reused: false },
    });
    const v4 = await request(ctx.app).get(`/campaigns/${id}/evaluation`);
    expectRatios(
      v4.body.report.overall as Row,
      acquisition - 2_500,
      validRefs.length,
      activatedValid.length,
      revenue,
      period,
    );
    const correctedB = (v4.body.report.byChannel as Row[]).find((r) => r.key === channelB!.id)!;
    expect(correctedB.costs.acquisition.minor).toBe(PLACEMENT_FEE - 2_500 + 6 * INCENTIVE);

    // A retry with the same key is the same correction; without a key it is refused.
    const corrections = await counts(id);
    const replay = await request(ctx.app)
      .post(`/campaigns/${id}/cost-corrections`)
      .set({ ...asMarketer, 'Idempotency-Key': `corr-${id}` })
      .send(correction);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.correction.id).toBe(corrected.body.correction.id);
    const correctionRefusals: [Record<string, string>, object, number, string][] = [
      [asMarketer, correction, 400, 'header.Idempotency-Key'],
      [
        { ...asMarketer, 'Idempotency-Key': `neg-${id}` },
        { ...correction, amountMinor: -7_501 },
        422,
        'amountMinor',
      ],
      [
        { ...asMarketer, 'Idempotency-Key': `cur-${id}` },
        { ...correction, currency: 'USD' },
        422,
        'currency',
      ],
      [
        { ...asMarketer, 'Idempotency-Key': `zero-${id}` },
        { ...correction, amountMinor: 0 },
        400,
        'amountMinor',
      ],
      [
        { ...asMarketer, 'Idempotency-Key': `typo-${id}` },
        { ...correction, target: { type: 'placement_fees', placementId: placement.id } },
        400,
        'target.type',
      ],
      [
        { ...asMarketer, 'Idempotency-Key': `claw-${id}` },
        { ...correction, target: { type: 'registration_incentive', customerRef: ref(0) }, amountMinor: 100 },
        409,
        'target.customerRef',
      ],
    ];
    for (const [headers, payload, status, field] of correctionRefusals) {
      const res = await request(ctx.app).post(`/campaigns/${id}/cost-corrections`).set(headers).send(payload);
      expect({ field, status: res.status }).toEqual({ field, status });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const negative = await request(ctx.app)
      .post(`/campaigns/${id}/cost-corrections`)
      .set({ ...asMarketer, 'Idempotency-Key': `neg2-${id}` })
      .send({ ...correction, amountMinor: -7_501 });
    expect(negative.body).toMatchObject({ totalMinor: '7500' });
    expect(negative.body.type).toMatch(/negative-total$/);
    expect(await counts(id)).toEqual(corrections);

    // Lowering it to exactly zero is allowed; the history reads back newest first, one per page.
    const toZero = await request(ctx.app)
      .post(`/campaigns/${id}/cost-corrections`)
      .set({ ...asMarketer, 'Idempotency-Key': `zero-total-${id}` })
      .send({ ...correction, amountMinor: -7_500, reason: 'fee waived' });
    expect(toZero.body.totalAfter).toEqual({ minor: 0, currency: 'CNY' });
    const first = await request(ctx.app).get(`/campaigns/${id}/cost-corrections?limit=1`).set(asMarketer);
    expect(first.body.items.map((c: { reason: string }) => c.reason)).toEqual(['fee waived']);
    const second = await request(ctx.app)
      .get(`/campaigns/${id}/cost-corrections?limit=1&cursor=${first.body.nextCursor}`)
      .set(asMarketer);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([corrected.body.correction.id]);
    expect(second.body.nextCursor).toBeNull();
    const flags = await request(ctx.app).get(`/campaigns/${id}/fraud-flags`).set(asAntiFraud);
    expect(flags.body.items.map((f: { customerRef: string }) => f.customerRef)).toEqual([ref(0), ref(2)]);

    // The channel's internal profile shows its fraud rate: 2 flagged ÷ (4 valid + 2 flagged).
    const profile = await request(ctx.app).post(`/channels/${a}/profiles/internal`).set(asMarketer).send({});
    expect(profile.status).toBe(201);
    expect(profile.body.traits.performance).toMatchObject({
      registrations: 4,
      fraudFlagged: 2,
      fraudRate: 0.333333,
    });
  });
});
