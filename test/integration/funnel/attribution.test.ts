// Attribution windows and touches (issue 12, item 5) through the API on real Temporal + PostgreSQL + the
// simulator: two campaigns over the same two channels, one last-touch and one first-touch, get the same
// touch patterns; each registration goes to the channel, placement and basis the windows and the rule
// say; touches outside their windows never win; `direct` is credited to the reporting channel and anything
// else without a qualifying touch stays unattributed — stored, counted, charged no channel fee; a channel's
// window edited after a campaign was created does not change that campaign; and each automatic evaluation
// states the rule and the windows, with per-channel figures by attributed channel equal to this test's
// own arithmetic. Bad touches are refused naming the field and write nothing.
import request from 'supertest';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedMaterial, uniq } from '../../support/fixtures';
import { expectExact } from '../evaluation/independent';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.stop());

const INCENTIVE = 500;
const FEE_A = 300;
const FEE_B = 200;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const asMarketer = { 'X-Role': 'marketer', 'X-Actor': 'li.wei' };

interface Exact {
  numerator: string;
  denominator: string;
}
interface Row {
  key: string;
  funnel: { registrationsValid: number };
  costs: { acquisition: { minor: number } };
  cac: { exact: Exact };
}

async function createChannel(code: string, feeMinor: number, windows: object) {
  const response = await request(ctx.app)
    .post('/channels')
    .send({
      code,
      name: `Attribution test ${code}`,
      kind: 'ecosystem_scenario',
      onlineType: 'ecommerce',
      department: 'digital',
      costModel: { type: 'per_registration', amountMinor: feeMinor, currency: 'CNY' },
      canShowMaterial: true,
      canDeliverMessages: true,
      adapter: { type: 'simulator' },
      ...windows,
    });
  expect(response.status).toBe(201);
  return response.body as { id: string; code: string; clickThroughWindow: string; viewThroughWindow: string };
}

async function startCampaign(channels: string[], materialId: string, rule?: 'first_touch') {
  const now = Date.now();
  const body = campaignRequest(channels, materialId, {
    registrationWindow: {
      start: new Date(now - 1000).toISOString(),
      end: new Date(now + 5000).toISOString(),
    },
    cohortGranularity: 'PT10S',
    newCustomerPeriod: 'PT2S',
    incentive: { perRegistrationMinor: INCENTIVE, perActivationMinor: 0 },
    ...(rule ? { attribution: { rule } } : {}),
  });
  const created = await request(ctx.app).post('/campaigns').set(asMarketer).send(body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/**
 * The touch patterns, relative to the registration time T. Channel A: click P7D, view PT24H (defaults);
 * channel B: click PT1H, view PT10M. `expect` is [last-touch credit, first-touch credit].
 */
function patterns(a: string, b: string, placementB: (campaign: 'L' | 'F') => string) {
  return [
    // No touches, no direct: credited as reported (today's behaviour).
    {
      via: a,
      touches: [],
      expect: [
        ['reported', a],
        ['reported', a],
      ],
    },
    // Two clicks in their windows: the latest (B, 30 min) or the earliest (A, 2 h).
    {
      via: a,
      touches: (c: 'L' | 'F') => [
        { kind: 'click', channelCode: b, placementId: placementB(c), at: -30 * MINUTE },
        { kind: 'click', channelCode: a, at: -2 * HOUR },
      ],
      expect: [
        ['click', b],
        ['click', a],
      ],
    },
    // B's click is 2 h old (its window is 1 h): only A's impression, 1 h old, qualifies.
    {
      via: a,
      touches: [
        { kind: 'click', channelCode: b, at: -2 * HOUR },
        { kind: 'impression', channelCode: a, at: -HOUR },
      ],
      expect: [
        ['view', a],
        ['view', a],
      ],
    },
    // Stale touches only (A's view 30 h, B's click 3 h) and direct: the reporting channel, as direct.
    {
      via: b,
      direct: true,
      touches: [
        { kind: 'impression', channelCode: a, at: -30 * HOUR },
        { kind: 'click', channelCode: b, at: -3 * HOUR },
      ],
      expect: [
        ['direct', b],
        ['direct', b],
      ],
    },
    // The same stale touches without direct: credited to no channel.
    {
      via: b,
      touches: [
        { kind: 'impression', channelCode: a, at: -30 * HOUR },
        { kind: 'click', channelCode: b, at: -3 * HOUR },
      ],
      expect: [
        ['unattributed', null],
        ['unattributed', null],
      ],
    },
    // A click beats a later impression, under either rule.
    {
      via: b,
      touches: [
        { kind: 'impression', channelCode: b, at: -5 * MINUTE },
        { kind: 'click', channelCode: a, at: -6 * DAY },
      ],
      expect: [
        ['click', a],
        ['click', a],
      ],
    },
  ] as const;
}

describe('attribution by window and rule', () => {
  it('credits each registration by window and rule, keeps the unattributed apart, and the evaluation states what it used', async () => {
    const prefix = uniq('attr');
    const [channelA, channelB] = await Promise.all([
      createChannel(`${prefix}-a`, FEE_A, {}),
      createChannel(`${prefix}-b`, FEE_B, { clickThroughWindow: 'PT1H', viewThroughWindow: 'PT10M' }),
    ]);
    expect(channelA).toMatchObject({ clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' });
    const [a, b] = [channelA.code, channelB.code];
    const { material } = await seedMaterial(ctx.db);
    // The rule is part of the strict plan, checked at the door by the dry run and the create alike.
    const badRule = campaignRequest([a, b], material.id, { attribution: { rule: 'linear' } });
    for (const path of ['/campaigns/validate', '/campaigns']) {
      const refusedRule = await request(ctx.app).post(path).set(asMarketer).send(badRule);
      expect(refusedRule.status).toBe(400);
      expect(refusedRule.body.errors).toEqual([expect.objectContaining({ field: 'plan.attribution.rule' })]);
    }
    const ids = {
      L: await startCampaign([a, b], material.id),
      F: await startCampaign([a, b], material.id, 'first_touch'),
    };

    // Edited after both campaigns were created: neither campaign changes (the windows are pinned).
    const edited = await request(ctx.app).patch(`/channels/${b}`).send({ clickThroughWindow: 'P30D' });
    expect(edited.status).toBe(200);
    expect(edited.body.clickThroughWindow).toBe('P30D');
    const refused = await request(ctx.app).patch(`/channels/${b}`).send({ viewThroughWindow: 'P1M' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('viewThroughWindow');

    for (const id of Object.values(ids)) {
      await eventually(
        async () =>
          (await request(ctx.app).get(`/campaigns/${id}`)).body.workflow?.state?.phase === 'acquiring',
      );
    }
    // The placements the simulator published for B, one per campaign.
    const placements = await ctx.db.placement.findMany({
      where: { campaignId: { in: Object.values(ids) }, channelId: channelB.id },
    });
    const placementB = (c: 'L' | 'F') => placements.find((p) => p.campaignId === ids[c])!.id;
    const cases = patterns(a, b, placementB);

    const registeredAt = Date.now();
    for (const c of ['L', 'F'] as const) {
      const items = cases.map((p, i) => {
        const touches = typeof p.touches === 'function' ? p.touches(c) : p.touches;
        return {
          customerRef: `${prefix}-${c}-${i}`,
          channelCode: p.via,
          registeredAt: new Date(registeredAt).toISOString(),
          ...(i === 0
            ? {}
            : { touches: touches.map((t) => ({ ...t, at: new Date(registeredAt + t.at).toISOString() })) }),
          ...('direct' in p ? { direct: p.direct } : {}),
        };
      });
      const reply = await request(ctx.app).post(`/campaigns/${ids[c]}/registrations`).send({ items });
      expect(reply.status).toBe(200);
      expect(reply.body.summary).toMatchObject({ accepted: cases.length, rejected: 0 });
      const rule = c === 'L' ? 0 : 1;
      reply.body.items.forEach(
        (result: { attribution?: { basis: string; channelCode: string | null } }, i: number) => {
          const [basis, code] = cases[i]!.expect[rule];
          if (basis === 'reported') expect(result.attribution).toBeUndefined();
          else expect(result.attribution).toMatchObject({ basis, channelCode: code });
        },
      );
    }

    // What is stored: the credited channel, the basis, the reporting channel when it differs, the touch's
    // placement and its material version.
    const codeOf = new Map([
      [channelA.id, a],
      [channelB.id, b],
      ['unattributed', null],
    ]);
    for (const c of ['L', 'F'] as const) {
      const rows = await ctx.db.registration.findMany({ where: { campaignId: ids[c] } });
      const rule = c === 'L' ? 0 : 1;
      cases.forEach((p, i) => {
        const row = rows.find((r) => r.customerRef === `${prefix}-${c}-${i}`)!;
        const [basis, code] = p.expect[rule];
        expect([row.attributionBasis ?? 'reported', codeOf.get(row.channelId)]).toEqual([basis, code]);
        const reporting = p.via === a ? channelA.id : channelB.id;
        expect(row.reportedChannelId).toBe(row.channelId === reporting ? null : reporting);
        expect(row.flagReason).toBeNull();
      });
      const viaB = rows.find((r) => r.customerRef === `${prefix}-${c}-1`)!;
      if (c === 'L') {
        const placement = placements.find((pl) => pl.id === placementB('L'))!;
        expect(viaB).toMatchObject({
          placementId: placement.id,
          materialVersionId: placement.materialVersionId,
        });
        expect(viaB.attributedTouchAt?.getTime()).toBe(registeredAt - 30 * MINUTE);
      }
      // The unattributed registration's incentive is booked, no channel fee is owed for it.
      const unattributed = rows.find((r) => r.customerRef === `${prefix}-${c}-4`)!;
      const entries = await ctx.db.ledgerEntry.findMany({
        where: { campaignId: ids[c], customerRef: unattributed.customerRef },
      });
      expect(entries.map((e) => [e.category, e.channelId, Number(e.amountMinor)])).toEqual([
        ['registration_incentive', 'unattributed', INCENTIVE],
      ]);
    }

    // Refused touches name their field and write nothing.
    const before = await ctx.db.registration.count({ where: { campaignId: ids.L } });
    const bad = (touch: object, n = 1) => ({
      customerRef: uniq('bad'),
      channelCode: a,
      registeredAt: new Date(registeredAt).toISOString(),
      touches: Array.from({ length: n }, () => ({
        kind: 'click',
        channelCode: a,
        at: new Date(registeredAt - HOUR).toISOString(),
        ...touch,
      })),
    });
    const refusedItems = await request(ctx.app)
      .post(`/campaigns/${ids.L}/registrations`)
      .send({
        items: [
          bad({ channelCode: 'not-a-channel' }),
          bad({ channelCode: b, placementId: placementB('F') }),
          bad({ at: new Date(registeredAt + 1000).toISOString() }),
          bad({}, 21),
          bad({ kind: 'view' }),
        ],
      });
    expect(refusedItems.body.summary).toMatchObject({ accepted: 0, rejected: 5 });
    expect(refusedItems.body.items.map((r: { errors: { field: string }[] }) => r.errors[0]!.field)).toEqual([
      'touches.0.channelCode',
      'touches.0.placementId',
      'touches.0.at',
      'touches',
      'touches.0.kind',
    ]);
    expect(await ctx.db.registration.count({ where: { campaignId: ids.L } })).toBe(before);
    // A channel system reports touches on its own channels only.
    const foreign = await request(ctx.app)
      .post(`/campaigns/${ids.L}/registrations`)
      .set({ 'X-Role': 'channel-system', 'X-Channels': a })
      .send({ items: [bad({ channelCode: b })] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.errors).toEqual([
      expect.objectContaining({ field: 'items.0.touches.0.channelCode' }),
    ]);

    // The funnel counts the unattributed registration, credited to no channel.
    const funnel = await request(ctx.app).get(`/campaigns/${ids.L}/funnel`);
    expect(funnel.body.registrations.valid).toBe(cases.length);
    expect(funnel.body.attribution).toEqual({
      rule: 'last_touch',
      windows: [
        { channelCode: a, clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' },
        { channelCode: b, clickThroughWindow: 'PT1H', viewThroughWindow: 'PT10M' },
      ],
      byBasis: { reported: 1, click: 2, view: 1, direct: 1, unattributed: 1 },
      unattributed: { registrations: 1, activated: 0 },
    });
    const brought = funnel.body.delivery.byChannel.map((r: { registrations: number }) => r.registrations);
    expect(brought.reduce((x: number, y: number) => x + y, 0)).toBe(cases.length - 1);

    // Each campaign ends with its automatic evaluation, which states the rule and windows it used and
    // whose per-channel rows are the attributed channels', equal to this test's own arithmetic.
    for (const c of ['L', 'F'] as const) {
      const result = await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(ids[c])).result();
      expect(result.phase).toBe('completed');
      const evaluation = await request(ctx.app).get(`/campaigns/${ids[c]}/evaluation`);
      expect(evaluation.status).toBe(200);
      const report = evaluation.body.report;
      expect(report.attribution).toMatchObject({
        rule: c === 'L' ? 'last_touch' : 'first_touch',
        windows: [
          { channelId: channelA.id, channelCode: a, clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' },
          { channelId: channelB.id, channelCode: b, clickThroughWindow: 'PT1H', viewThroughWindow: 'PT10M' },
        ],
        unattributedChannelId: 'unattributed',
        registrationsByBasis: { reported: 1, click: 2, view: 1, direct: 1, unattributed: 1 },
      });
      const rule = c === 'L' ? 0 : 1;
      const credited = (code: string | null) => cases.filter((p) => p.expect[rule][1] === code).length;
      const fee = { [a]: FEE_A, [b]: FEE_B };
      for (const [key, code] of [
        [channelA.id, a],
        [channelB.id, b],
        ['unattributed', null],
      ] as const) {
        const row = (report.byChannel as Row[]).find((r) => r.key === key)!;
        const n = credited(code);
        const acquisition = n * (INCENTIVE + (code ? fee[code]! : 0));
        expect([key, row.funnel.registrationsValid, row.costs.acquisition.minor]).toEqual([
          key,
          n,
          acquisition,
        ]);
        expectExact(row.cac.exact, acquisition, n);
      }
    }
    // Under last touch B gets two (the 30-minute click, direct), under first touch one (direct): the rule
    // moved a registration and its fee from B to A.
    expect(cases.filter((p) => p.expect[0][1] === b).length).toBe(2);
    expect(cases.filter((p) => p.expect[1][1] === b).length).toBe(1);
  }, 40_000);
});
