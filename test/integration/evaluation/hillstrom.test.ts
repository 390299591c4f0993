// The Hillstrom e-mail experiment (64,000 real customers, two e-mail arms and a no-e-mail control)
// imported and evaluated: per-arm conversion rates, lift, the z-test's p-value (to 4 significant digits)
// and revenue per arm (to the cent), all computed here from the file with the test's own parser and
// its own normal tail (numerical integration), not by the code under test.
import { sharedDataFile } from '../../support/shared-data';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { systemClock } from '../../../activities/deps';
import { createEvaluationActivities } from '../../../activities/evaluation';
import { importHillstrom } from '../../../importers/hillstrom';
import { createTestContext, type TestContext } from '../../support/context';
import { expectExact, expectFourSignificant, pooledZ, twoSidedP } from './independent';

const FILE = sharedDataFile('hillstrom.csv');
const CONTROL = 'No E-Mail';
const COST_PER_EMAIL = 2;

interface Arm {
  customers: number;
  visits: number;
  conversions: number;
  spendCents: number;
}

/** Comma-separated, CRLF, history_segment quoted where it holds a comma ("6) $750 - $1,000"). */
function readArms(): Map<string, Arm> {
  const [header, ...lines] = readFileSync(FILE, 'utf8').trim().split('\r\n');
  const split = (line: string) => line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
  const columns = split(header!);
  const arms = new Map<string, Arm>();
  for (const line of lines) {
    const cells = split(line);
    const get = (name: string) => cells[columns.indexOf(name)]!;
    const arm = arms.get(get('segment')) ?? { customers: 0, visits: 0, conversions: 0, spendCents: 0 };
    const [dollars, cents = ''] = get('spend').split('.');
    arm.customers++;
    arm.visits += Number(get('visit'));
    arm.conversions += Number(get('conversion'));
    arm.spendCents += Number(dollars) * 100 + Number(cents.padEnd(2, '0'));
    arms.set(get('segment'), arm);
  }
  return arms;
}

let ctx: TestContext;
const arms = readArms();
let summary: Awaited<ReturnType<typeof importHillstrom>>;
let report: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  summary = await importHillstrom(ctx.db, FILE, { costPerEmailMinor: COST_PER_EMAIL });
  const { evaluateCampaign } = createEvaluationActivities({
    db: ctx.db,
    clock: systemClock,
    simulatorUrl: '',
  });
  const { version } = await evaluateCampaign({ campaignId: summary.campaignId, provisional: false });
  const res = await request(ctx.app).get(`/campaigns/${summary.campaignId}/evaluation?version=${version}`);
  expect(res.status).toBe(200);
  report = res.body.report;
}, 180_000);
afterAll(() => ctx.stop());

describe('the Hillstrom experiment, imported and evaluated', () => {
  it('imports all 64,000 customers with visits, conversions and spend per arm', () => {
    expect([...arms.values()].reduce((n, arm) => n + arm.customers, 0)).toBe(64_000);
    for (const [name, arm] of arms) {
      expect(summary.byArm[name as keyof typeof summary.byArm]).toMatchObject({
        customers: arm.customers,
        visits: arm.visits,
        conversions: arm.conversions,
        spendMinor: arm.spendCents,
      });
    }
  });

  it('reports each arm: customers as registrations, conversions as activations, spend as revenue', () => {
    expect(report.status).toBe('final');
    expect(report.checks.allHold).toBe(true);
    for (const [name, arm] of arms) {
      const row = report.overall.arms.find((a: { group: string }) => a.group === name);
      expect(row).toMatchObject({
        role: name === CONTROL ? 'control' : 'treatment',
        registrations: arm.customers,
        activated: arm.conversions,
        revenue: { minor: arm.spendCents, currency: 'USD' },
      });
      expectExact(row.activationRate.exact, arm.conversions, arm.customers);
      expectExact(row.revenuePerCustomer.exact, arm.spendCents, arm.customers);
    }
  });

  it('tests each e-mail arm and both pooled against the no-e-mail control', () => {
    const control = arms.get(CONTROL)!;
    const pooled: Arm = { customers: 0, visits: 0, conversions: 0, spendCents: 0 };
    const compared: [string[], Arm][] = [];
    for (const name of ['Mens E-Mail', 'Womens E-Mail']) {
      const arm = arms.get(name)!;
      compared.push([[name], arm]);
      pooled.customers += arm.customers;
      pooled.conversions += arm.conversions;
      pooled.spendCents += arm.spendCents;
    }
    compared.push([['Mens E-Mail', 'Womens E-Mail'], pooled]);
    for (const [groups, arm] of compared) {
      const lift =
        groups.length === 1
          ? report.lift.arms.find((a: { groups: string[] }) => a.groups[0] === groups[0])
          : report.lift.pooled;
      expect(lift.groups).toEqual(groups);
      expect(lift.revenue).toEqual({ minor: arm.spendCents, currency: 'USD' });
      const rate = arm.conversions / arm.customers;
      const controlRate = control.conversions / control.customers;
      expectFourSignificant(lift.activationRate.value, rate);
      expectFourSignificant(lift.difference.value, rate - controlRate);
      expectFourSignificant(lift.relativeLift.value, (rate - controlRate) / controlRate);
      const z = pooledZ(arm.conversions, arm.customers, control.conversions, control.customers);
      expectFourSignificant(lift.zTest.z, z);
      expectFourSignificant(lift.zTest.pValue, twoSidedP(z));
      // Revenue per customer to the cent: the rendered cents within half a unit of the 4th decimal.
      expect(
        Math.abs(Number(lift.revenuePerCustomer.minor) - arm.spendCents / arm.customers),
      ).toBeLessThanOrEqual(0.00005);
    }
    expect(report.lift.control.revenue).toEqual({ minor: control.spendCents, currency: 'USD' });
  });

  it('costs e-mails sent × the stated cost per e-mail, and relates it to the converted customers', () => {
    const emailed = arms.get('Mens E-Mail')!.customers + arms.get('Womens E-Mail')!.customers;
    const converted = [...arms.values()].reduce((n, arm) => n + arm.conversions, 0);
    const revenue = [...arms.values()].reduce((n, arm) => n + arm.spendCents, 0);
    expect(report.overall.costs.acquisition).toEqual({ minor: emailed * COST_PER_EMAIL, currency: 'USD' });
    expectExact(report.overall.aac.exact, emailed * COST_PER_EMAIL, converted);
    expectExact(report.overall.roi.exact, revenue - emailed * COST_PER_EMAIL, emailed * COST_PER_EMAIL);
    // No cost falls in the new-customer period, so LROI has no denominator: undefined, with the reason.
    expect(report.overall.lroi).toEqual({ defined: false, reason: 'zero_cost' });
  });
});
