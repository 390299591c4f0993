// The planner is the deterministic half of the traffic generator: the same seed, campaign facts and start
// time must give the same prospects and the same registration items, item for item; another seed must not.
import { BAD_BEHAVIOUR } from '../../../traffic/model';
import { existingCustomerRefs, TrafficPlanner, type Prospect } from '../../../traffic/planner';
import type { CampaignFacts } from '../../../traffic/facts';

const START = Date.parse('2026-03-02T02:00:00.000Z');

const facts: CampaignFacts = {
  campaignId: '4a1c2b3d-0000-4000-8000-000000000001',
  status: 'acquiring',
  acquisitionOpen: true,
  windowStart: START - 3_600_000,
  windowEnd: START + 3_600_000,
  newCustomerPeriodMs: 300_000,
  currency: 'CNY',
  channels: [
    {
      channelCode: 'branch-sh-01',
      kind: 'offline',
      onlineType: null,
      audience: null,
      placements: [{ placementId: 'plc-branch', materialVersionId: 'mv-1' }],
    },
    {
      channelCode: 'douyin-feed',
      kind: 'ecosystem_scenario',
      onlineType: 'entertainment',
      audience: {
        ageBands: { '18-24': 0.6, '25-34': 0.4 },
        priceSensitivity: 'high',
        willingnessToPay: 'low',
      },
      placements: [
        { placementId: 'plc-douyin-a', materialVersionId: 'mv-1' },
        { placementId: 'plc-douyin-b', materialVersionId: 'mv-2' },
      ],
    },
    {
      channelCode: 'mobile-app',
      kind: 'financial_scenario',
      onlineType: null,
      audience: { willingnessToPay: 'high', interests: ['wealth'] },
      placements: [{ placementId: 'plc-app', materialVersionId: 'mv-1' }],
    },
  ],
};

function plan(seed: number, count: number, options: { badShare?: number; existing?: string[] } = {}) {
  const planner = new TrafficPlanner(facts, {
    seed,
    rate: 20,
    badShare: options.badShare ?? 0.1,
    existingCustomerRefs: options.existing ?? existingCustomerRefs(seed, 50),
    startAt: START,
  });
  return Array.from({ length: count }, () => planner.next() as Prospect);
}

/** What the generator would send: the registration items, in order. */
const items = (prospects: Prospect[]) => prospects.flatMap((p) => p.registrations.map((r) => r.item));

describe('TrafficPlanner', () => {
  it('gives the same prospects and the same registration items for the same seed and facts', () => {
    const first = plan(42, 400);
    const second = plan(42, 400);
    expect(second).toEqual(first);
    expect(items(second)).toEqual(items(first));
    // A pinned item: a change in the draw order or the model shows here, and must be deliberate.
    expect(items(first).length).toBeGreaterThan(100);
  });

  it('gives other traffic for another seed', () => {
    expect(items(plan(43, 200))).not.toEqual(items(plan(42, 200)));
  });

  it('arrives at about the rate asked for, in time order, from the start time on', () => {
    const prospects = plan(7, 2_000);
    const times = prospects.map((p) => p.arrivesAt);
    expect(times[0]).toBeGreaterThan(START);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const seconds = ((times.at(-1) as number) - START) / 1000;
    // 2,000 arrivals at 20/s take about 100 s; a Poisson process stays within a few per cent.
    expect(seconds).toBeGreaterThan(90);
    expect(seconds).toBeLessThan(110);
  });

  it('splits arrivals by reach and keeps each channel its own sign-up leakage', () => {
    const prospects = plan(11, 6_000, { badShare: 0 });
    const of = (code: string) => prospects.filter((p) => p.channelCode === code);
    const douyin = of('douyin-feed');
    const app = of('mobile-app');
    const branch = of('branch-sh-01');
    // Reach 1.8 : 1 : 0.3 (traffic/model.ts).
    expect(douyin.length).toBeGreaterThan(app.length * 1.5);
    expect(app.length).toBeGreaterThan(branch.length * 2.5);
    const completion = (ps: Prospect[]) =>
      ps.filter((p) => p.completed).length / ps.filter((p) => p.started).length;
    // Entertainment loses most started sign-ups (0.35 kept), the bank's own app few (0.85).
    expect(completion(douyin)).toBeLessThan(0.45);
    expect(completion(app)).toBeGreaterThan(0.78);
    // Both placements of a channel get traffic; a completed prospect registers once, through its placement.
    expect(new Set(douyin.map((p) => p.placementId))).toEqual(new Set(['plc-douyin-a', 'plc-douyin-b']));
    for (const p of prospects) {
      expect(p.registrations).toHaveLength(p.completed ? 1 : 0);
      if (p.completed) expect(p.registrations[0]?.item.placementId).toBe(p.placementId);
    }
  });

  it('makes a share of prospects behave badly, in the three ways', () => {
    const existing = existingCustomerRefs(5, 30);
    const prospects = plan(5, 4_000, { badShare: 0.2, existing });
    const bad = prospects.filter((p) => p.bad !== null);
    expect(bad.length / prospects.length).toBeGreaterThan(0.17);
    expect(bad.length / prospects.length).toBeLessThan(0.23);
    const good = prospects.filter((p) => p.bad === null && p.completed);
    const goodContacts = new Set(good.map((p) => p.registrations[0]?.item.contactHash));

    const duplicates = bad.filter((p) => p.bad === 'duplicate_signup');
    expect(duplicates.length).toBeGreaterThan(0);
    for (const p of duplicates) {
      // Another customerRef with an earlier customer's contact.
      const item = p.registrations[0]!.item;
      expect(goodContacts.has(item.contactHash)).toBe(true);
      expect(good.some((g) => g.registrations[0]!.item.customerRef === item.customerRef)).toBe(false);
    }
    const listed = bad.filter((p) => p.bad === 'existing_customer');
    expect(listed.length).toBeGreaterThan(0);
    for (const p of listed) expect(existing).toContain(p.registrations[0]!.item.customerRef);

    const bursts = bad.filter((p) => p.bad === 'fingerprint_burst');
    expect(bursts.length).toBeGreaterThan(0);
    for (const p of bursts) {
      expect(p.registrations).toHaveLength(BAD_BEHAVIOUR.burstSize);
      expect(new Set(p.registrations.map((r) => r.item.deviceFingerprint)).size).toBe(1);
      expect(new Set(p.registrations.map((r) => r.item.customerRef)).size).toBe(BAD_BEHAVIOUR.burstSize);
    }
    // Bad prospects never use the account: no new-customer-period opportunities.
    for (const p of bad) for (const r of p.registrations) expect(r.opportunities).toEqual([]);
  });

  it('sends no bad prospect at badShare 0, and unique customer refs throughout', () => {
    const prospects = plan(9, 3_000, { badShare: 0 });
    expect(prospects.every((p) => p.bad === null)).toBe(true);
    const refs = items(prospects).map((i) => i.customerRef);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('keeps customer refs apart between campaigns (a ref registered elsewhere would be flagged)', () => {
    const other = new TrafficPlanner(
      { ...facts, campaignId: '4a1c2b3d-0000-4000-8000-000000000002' },
      { seed: 42, rate: 20, badShare: 0, existingCustomerRefs: [], startAt: START },
    );
    const theirs = new Set(
      Array.from({ length: 300 }, () => other.next() as Prospect).flatMap((p) =>
        p.registrations.map((r) => r.item.customerRef),
      ),
    );
    expect(items(plan(42, 300, { badShare: 0 })).some((i) => theirs.has(i.customerRef))).toBe(false);
  });

  it('has nobody arrive while no channel shows the campaign', () => {
    const planner = new TrafficPlanner(
      { ...facts, channels: facts.channels.map((c) => ({ ...c, placements: [] })) },
      { seed: 1, rate: 5, badShare: 0, existingCustomerRefs: [], startAt: START },
    );
    expect(planner.next()).toBeNull();
  });
});
