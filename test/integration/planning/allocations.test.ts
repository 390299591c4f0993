// POST /planning/allocations against real PostgreSQL, on the real imported histories: the UCI Bank
// Marketing campaign (three contact channels) and the Hillstrom experiment (its two e-mail arms as two
// planning units, by material variant). The history figures each channel is planned from are checked
// against this test's own parse of the files; the plan's invariants (exact split, bounds, determinism)
// and every refusal (400 naming the field) are checked through the API.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { importBankMarketing } from '../../../importers/bank-marketing';
import { importHillstrom } from '../../../importers/hillstrom';
import { createTestContext, type TestContext } from '../../support/context';
import { sharedDataFile } from '../../support/shared-data';

// The same stated unit costs as the importers' own tests, so one database can hold all of them.
const BANK_UNIT_COST = 500;
const COST_PER_EMAIL = 2;

/** Clients, subscriptions and contacts per contact channel, from bank-full.csv by this test's own parse. */
function bankTotals(): Map<string, { clients: number; subscribed: number; contacts: number }> {
  const [header, ...lines] = readFileSync(sharedDataFile('bank-full.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(';').map((c) => c.replaceAll('"', ''));
  const totals = new Map<string, { clients: number; subscribed: number; contacts: number }>();
  for (const line of lines) {
    const cells = line.split(';').map((c) => c.replaceAll('"', ''));
    const get = (name: string) => cells[columns.indexOf(name)]!;
    const entry = totals.get(get('contact')) ?? { clients: 0, subscribed: 0, contacts: 0 };
    entry.clients++;
    entry.subscribed += get('y') === 'yes' ? 1 : 0;
    entry.contacts += Number(get('campaign'));
    totals.set(get('contact'), entry);
  }
  return totals;
}

/** Customers and conversions per Hillstrom arm. */
function hillstromArms(): Map<string, { customers: number; conversions: number }> {
  const [header, ...lines] = readFileSync(sharedDataFile('hillstrom.csv'), 'utf8').trim().split('\r\n');
  const split = (line: string) => line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
  const columns = split(header!);
  const arms = new Map<string, { customers: number; conversions: number }>();
  for (const line of lines) {
    const cells = split(line);
    const arm = cells[columns.indexOf('segment')]!;
    const entry = arms.get(arm) ?? { customers: 0, conversions: 0 };
    entry.customers++;
    entry.conversions += Number(cells[columns.indexOf('conversion')]);
    arms.set(arm, entry);
  }
  return arms;
}

let ctx: TestContext;
let bankId: string;
let hillstromId: string;
const BANK_CHANNELS = ['bank-phone-cellular', 'bank-phone-telephone', 'bank-phone-unknown'];

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  bankId = (
    await importBankMarketing(ctx.db, sharedDataFile('bank-full.csv'), {
      unitCostMinor: BANK_UNIT_COST,
    })
  ).campaignId;
  hillstromId = (
    await importHillstrom(ctx.db, sharedDataFile('hillstrom.csv'), {
      costPerEmailMinor: COST_PER_EMAIL,
    })
  ).campaignId;
}, 300_000);
afterAll(() => ctx.stop());

const plan = (body: unknown, role = 'marketer') =>
  request(ctx.app)
    .post('/planning/allocations')
    .set('X-Role', role)
    .send(body as object);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;

describe('planning on the UCI Bank Marketing history', () => {
  const body = {
    budget: { minor: 30_000_000, currency: 'EUR' },
    objective: { type: 'max_activations' },
    channels: BANK_CHANNELS.map((channelCode) => ({ channelCode })),
    history: { campaignIds: [] as string[] },
  };
  let res: request.Response;
  beforeAll(async () => {
    body.history.campaignIds = [bankId];
    res = await plan(body);
  }, 120_000);

  it('plans each channel from exactly its history in the file', () => {
    expect(res.status).toBe(200);
    const totals = bankTotals();
    for (const contact of ['cellular', 'telephone', 'unknown']) {
      const c = res.body.channels.find((x: Json) => x.channelCode === `bank-phone-${contact}`);
      const t = totals.get(contact)!;
      expect(c.history).toMatchObject({
        campaigns: 1,
        registrations: t.clients,
        activations: t.subscribed,
        spend: { minor: t.contacts * BANK_UNIT_COST, currency: 'EUR' },
      });
      // One point per contact day the channel was used.
      expect(c.history.points).toBeGreaterThan(100);
      expect(c.model.activationRate.observed).toBeCloseTo(t.subscribed / t.clients, 6);
    }
  });

  it('splits the budget exactly, with intervals that hold their estimates and a reason per channel', () => {
    const channels: Json[] = res.body.channels;
    const spent = channels.reduce((n, c) => n + c.spend.minor, 0);
    expect(spent + res.body.unallocated.minor).toBe(30_000_000);
    expect(res.body.unallocated.minor).toBe(0);
    for (const c of channels) {
      expect(c.spend.minor).toBeGreaterThanOrEqual(0);
      const { low, estimate, high } = c.expected.activations;
      expect(low).toBeLessThanOrEqual(estimate);
      expect(high).toBeGreaterThanOrEqual(estimate);
      expect(c.reason).toMatch(/EUR/);
    }
    // Cellular activates 14.9% of those it reaches at the lowest cost per activation: it gets the most,
    // and the channel that activates 4.1% ("unknown") the least.
    const spend = (code: string) => channels.find((c) => c.channelCode === code)!.spend.minor;
    expect(spend('bank-phone-cellular')).toBeGreaterThan(spend('bank-phone-telephone'));
    expect(spend('bank-phone-telephone')).toBeGreaterThan(spend('bank-phone-unknown'));
    // Every channel that grew stopped at the same marginal AAC (the water level).
    const margins = channels.filter((c) => c.bound === 'margin').map((c) => c.expected.marginalAacMinor);
    for (const m of margins) expect(Math.abs(m / res.body.marginalAacMinor - 1)).toBeLessThan(0.01);
    expect(res.body.totals.aacMinor).toMatchObject({ defined: true, currency: 'EUR' });
    expect(res.body.totals.lroi).toEqual({ defined: false, reason: 'zero_period_cost' });
  });

  it('holds a maximum and a minimum, and gives the same plan for the same facts', async () => {
    const bounded = {
      ...body,
      channels: [
        { channelCode: 'bank-phone-cellular', maximumSpend: { minor: 10_000_000, currency: 'EUR' } },
        { channelCode: 'bank-phone-telephone' },
        { channelCode: 'bank-phone-unknown', minimumSpend: { minor: 4_000_000, currency: 'EUR' } },
      ],
    };
    const first = await plan(bounded);
    expect(first.status).toBe(200);
    const byCode = new Map<string, Json>(first.body.channels.map((c: Json) => [c.channelCode, c]));
    expect(byCode.get('bank-phone-cellular')!.spend.minor).toBe(10_000_000);
    expect(byCode.get('bank-phone-cellular')!.bound).toBe('maximum');
    expect(byCode.get('bank-phone-unknown')!.spend.minor).toBeGreaterThanOrEqual(4_000_000);
    const again = await plan({ ...bounded, channels: [...bounded.channels].reverse() });
    expect(again.body).toEqual(first.body);
  });

  it('min_aac stops at the volume asked for and leaves the rest of the budget', async () => {
    const res = await plan({ ...body, objective: { type: 'min_aac', minimumActivations: 1_000 } });
    expect(res.status).toBe(200);
    expect(res.body.objective).toEqual({ type: 'min_aac', minimumActivations: 1_000, met: true });
    expect(res.body.totals.activations.estimate).toBeGreaterThanOrEqual(1_000);
    expect(res.body.totals.activations.estimate).toBeLessThan(1_001);
    expect(res.body.unallocated.minor).toBeGreaterThan(0);
    expect(res.body.allocated.minor + res.body.unallocated.minor).toBe(30_000_000);
  });
});

describe('planning on the Hillstrom experiment, its two e-mail arms as two units', () => {
  it('puts more into the arm that converted more per e-mail, from the arms’ own figures', async () => {
    const res = await plan({
      budget: { minor: 20_000, currency: 'USD' },
      objective: { type: 'max_activations' },
      channels: [
        { channelCode: 'hillstrom-email', materialVariant: 'mens-email' },
        { channelCode: 'hillstrom-email', materialVariant: 'womens-email' },
      ],
      history: { campaignIds: [hillstromId] },
    });
    expect(res.status).toBe(200);
    const arms = hillstromArms();
    const [mens, womens] = res.body.channels as [Json, Json];
    expect(mens.materialVariant).toBe('mens-email');
    for (const [unit, arm] of [
      [mens, 'Mens E-Mail'],
      [womens, 'Womens E-Mail'],
    ] as const) {
      const a = arms.get(arm)!;
      // The control arm (No E-Mail) is not history of either unit: it got no e-mail and no spend.
      expect(unit.history).toMatchObject({
        registrations: a.customers,
        activations: a.conversions,
        spend: { minor: a.customers * COST_PER_EMAIL },
        points: 1,
      });
      // One observation cannot show the bend: the plan says so.
      expect(unit.model.shapeIdentified).toBe(false);
      expect(unit.reason).toMatch(/does not show how fast returns diminish/);
    }
    expect(mens.spend.minor).toBeGreaterThan(womens.spend.minor);
    expect(mens.spend.minor + womens.spend.minor).toBe(20_000);
  });
});

describe('refusals and the no-history plan', () => {
  it('names each invalid field: currency mismatch, minimum above maximum, budget below the minimums, a repeat', async () => {
    const res = await plan({
      budget: { minor: 1_000, currency: 'EUR' },
      objective: { type: 'max_activations' },
      channels: [
        { channelCode: 'bank-phone-cellular', minimumSpend: { minor: 900, currency: 'USD' } },
        {
          channelCode: 'bank-phone-telephone',
          minimumSpend: { minor: 500, currency: 'EUR' },
          maximumSpend: { minor: 400, currency: 'EUR' },
        },
        { channelCode: 'bank-phone-telephone' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        'budget.minor',
        'channels.0.minimumSpend.currency',
        'channels.1.maximumSpend.minor',
        'channels.2.channelCode',
      ].sort(),
    );
  });

  it('names an objective without its volume, and a negative amount', async () => {
    const res = await plan({
      budget: { minor: 1_000, currency: 'EUR' },
      objective: { type: 'min_aac' },
      channels: [{ channelCode: 'bank-phone-cellular', maximumSpend: { minor: -5, currency: 'EUR' } }],
    });
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'channels.0.maximumSpend.minor',
      'objective.minimumActivations',
    ]);
  });

  it('refuses an unknown channel and a history campaign in another currency, naming both', async () => {
    const res = await plan({
      budget: { minor: 100_000, currency: 'EUR' },
      objective: { type: 'max_activations' },
      channels: [{ channelCode: 'bank-phone-cellular' }, { channelCode: 'no-such-channel' }],
      history: { campaignIds: [bankId, hillstromId] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'channels.1.channelCode', message: 'no channel "no-such-channel" in the registry' },
      { field: 'history.campaignIds.1', message: `campaign ${hillstromId} is in USD; the plan is in EUR` },
    ]);
  });

  it('with no history at all says so and keeps every channel at its floor', async () => {
    const code = `no-history-${Date.now()}`;
    await ctx.db.channel.create({
      data: {
        code,
        name: 'no history',
        kind: 'ecosystem_scenario',
        onlineType: 'payment',
        department: 'x',
        costModel: { type: 'cpc', amountMinor: 1, currency: 'EUR' },
        adapter: { type: 'simulator' },
      },
    });
    const res = await plan({
      budget: { minor: 1_000_000, currency: 'EUR' },
      objective: { type: 'max_activations' },
      channels: [{ channelCode: code }],
      explorationFloorBasisPoints: 1_000,
    });
    expect(res.status).toBe(200);
    expect(res.body.channels[0]).toMatchObject({
      spend: { minor: 100_000 },
      bound: 'exploration_floor',
      reason: 'No history: kept at the exploration floor (1000.00 EUR) so that evidence can come in.',
    });
    expect(res.body.unallocated.minor).toBe(900_000);
    expect(res.body.notes.join(' ')).toMatch(/No history for any candidate channel/);
    expect(res.body.totals.aacMinor).toEqual({ defined: false, reason: 'no_history' });
  });

  it('is for marketers and admins, not ops', async () => {
    const res = await plan({ budget: { minor: 1, currency: 'EUR' } }, 'ops');
    expect(res.status).toBe(403);
  });
});
