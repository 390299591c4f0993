// Property tests of the planner over many random markets from a seeded generator (no extra libraries):
// the split plus what is left unallocated is the budget exactly, in whole minor units; no channel goes
// below zero, below its minimum, above its maximum or past its capacity; more budget never yields fewer
// expected activations; the plan does not depend on the order channels are listed in; no history means
// floors and a note, never a division by zero.
import {
  buildPlan,
  type Candidate,
  type CandidateHistory,
  type Objective,
  type PlanningInput,
} from '../../../planning/plan';
import { registrationsAt } from '../../../planning/response-model';
import { seededRandom } from '../../../simulator/random';

/** Whole numbers in [0, below) from the project's seeded mulberry32: every failure is reproducible by seed. */
function generator(seed: number): (below: number) => number {
  const random = seededRandom(seed);
  return (below) => Math.floor(random() * below);
}

const KINDS = ['financial_scenario', 'ecosystem_scenario', 'offline'];

function randomHistory(random: (below: number) => number): CandidateHistory {
  if (random(5) === 0) return { points: [], campaigns: 0, periodRevenueMinor: 0, periodCostMinor: 0 };
  const cohorts = 1 + random(12);
  const costPerRegistration = 50 + random(5_000);
  const rate = (1 + random(300)) / 1_000;
  const points = Array.from({ length: cohorts }, () => {
    const registrations = random(4) === 0 ? random(20) : random(5_000);
    const spendMinor = random(10) === 0 ? 0 : registrations * costPerRegistration + random(10_000);
    const activations = Math.min(registrations, Math.round(registrations * rate * (0.5 + random(100) / 100)));
    return { spendMinor, registrations, activations, campaign: `c${random(2)}` };
  });
  const registrations = points.reduce((n, p) => n + p.registrations, 0);
  return {
    points,
    campaigns: 1,
    periodRevenueMinor: registrations * random(3_000),
    periodCostMinor: random(2) === 0 ? 0 : registrations * random(1_000),
  };
}

function randomInput(seed: number): PlanningInput {
  const random = generator(seed);
  const count = 1 + random(6);
  const budgetMinor = 1 + random(2_000_000_000);
  const candidates = Array.from({ length: count }, (_, i) => {
    const minimumMinor = random(3) === 0 ? Math.floor(budgetMinor / (count * (2 + random(8)))) : 0;
    const maximumMinor = random(3) === 0 ? minimumMinor + random(budgetMinor) : null;
    const candidate: Candidate = {
      channelCode: `ch-${String.fromCharCode(97 + random(26))}${i}`,
      materialVariant: random(4) === 0 ? 'variant-a' : null,
      kind: KINDS[random(KINDS.length)]!,
      minimumMinor,
      maximumMinor,
      capacityRegistrations: random(3) === 0 ? 1 + random(50_000) : null,
    };
    return { candidate, history: randomHistory(random) };
  });
  const kindPools: Record<string, { registrations: number; activations: number }[]> = {};
  for (const { candidate, history } of candidates) {
    (kindPools[candidate.kind] ??= []).push({
      registrations: history.points.reduce((n, p) => n + p.registrations, 0),
      activations: history.points.reduce((n, p) => n + p.activations, 0),
    });
  }
  const objectives: Objective[] = [
    { type: 'max_activations' },
    { type: 'min_aac', minimumActivations: 1 + random(5_000) },
    { type: 'max_lroi' },
  ];
  return {
    currency: 'CNY',
    budgetMinor,
    objective: objectives[random(3)]!,
    explorationFloorBasisPoints: random(1_000),
    candidates,
    kindPools,
  };
}

const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);

describe('planner properties over 150 random markets', () => {
  it.each(SEEDS)('seed %d: exact split, every bound held, no negative amount, no NaN', (seed) => {
    const input = randomInput(seed);
    const plan = buildPlan(input);
    const spent = plan.channels.reduce((n, c) => n + c.spendMinor, 0);
    expect(spent + plan.unallocatedMinor).toBe(input.budgetMinor);
    expect(plan.allocatedMinor).toBe(spent);
    expect(plan.unallocatedMinor).toBeGreaterThanOrEqual(0);
    for (const c of plan.channels) {
      expect(Number.isSafeInteger(c.spendMinor)).toBe(true);
      expect(c.spendMinor).toBeGreaterThanOrEqual(0);
      const asked = input.candidates.find(
        (x) => x.candidate.channelCode === c.channelCode && x.candidate.materialVariant === c.materialVariant,
      )!.candidate;
      if (asked.maximumMinor !== null) expect(c.spendMinor).toBeLessThanOrEqual(asked.maximumMinor);
      if (c.model && asked.capacityRegistrations !== null) {
        expect(registrationsAt(c.model, c.spendMinor)).toBeLessThanOrEqual(
          asked.capacityRegistrations * (1 + 1e-9),
        );
      }
      if (c.bound !== 'capacity' && !c.reason.includes('capacity is below')) {
        expect(c.spendMinor).toBeGreaterThanOrEqual(asked.minimumMinor);
      }
      expect(c.reason.length).toBeGreaterThan(10);
      expect(JSON.stringify(c)).not.toMatch(/NaN|null,"low":null/);
    }
    expect(JSON.stringify(plan.totals)).not.toContain('NaN');
  });

  it.each(SEEDS.slice(0, 60))('seed %d: more budget never yields fewer expected activations', (seed) => {
    const input = { ...randomInput(seed), objective: { type: 'max_activations' } as const };
    let previous = -1;
    for (const factor of [1, 1.0001, 1.3, 2, 5]) {
      const budgetMinor = Math.floor(input.budgetMinor * factor);
      const plan = buildPlan({ ...input, budgetMinor });
      const activations = plan.totals.activations.estimate;
      expect(activations).toBeGreaterThanOrEqual(previous - 1e-9 * Math.max(1, previous));
      previous = activations;
    }
  });

  it.each(SEEDS.slice(0, 40))('seed %d: the same facts in another order give the same plan', (seed) => {
    const input = randomInput(seed);
    const reversed = { ...input, candidates: [...input.candidates].reverse() };
    const [a, b] = [JSON.stringify(buildPlan(reversed)), JSON.stringify(buildPlan(input))];
    expect(a === b).toBe(true);
  });
});

describe('plans with no history at all', () => {
  it('says so, keeps every channel at its floor and divides by nothing', () => {
    const candidates = ['app', 'branch', 'wechat'].map((code) => ({
      candidate: {
        channelCode: code,
        materialVariant: null,
        kind: 'financial_scenario',
        minimumMinor: code === 'branch' ? 100_000 : 0,
        maximumMinor: null,
        capacityRegistrations: null,
      },
      history: { points: [], campaigns: 0, periodRevenueMinor: 0, periodCostMinor: 0 },
    }));
    const plan = buildPlan({
      currency: 'CNY',
      budgetMinor: 1_000_000,
      objective: { type: 'max_activations' },
      explorationFloorBasisPoints: 500,
      candidates,
      kindPools: {},
    });
    expect(plan.channels.map((c) => [c.channelCode, c.spendMinor, c.bound])).toEqual([
      ['app', 50_000, 'exploration_floor'],
      ['branch', 100_000, 'minimum'],
      ['wechat', 50_000, 'exploration_floor'],
    ]);
    expect(plan.channels[0]!.reason).toBe(
      'No history: kept at the exploration floor (500.00 CNY) so that evidence can come in.',
    );
    expect(plan.unallocatedMinor).toBe(800_000);
    expect(plan.notes.join(' ')).toContain('No history for any candidate channel');
    expect(plan.totals.aacMinor).toEqual({ defined: false, reason: 'no_history' });
    expect(plan.totals.activations).toEqual({ estimate: 0, low: 0, high: 0 });
  });
});
