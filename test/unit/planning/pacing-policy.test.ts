// The pacing policy on hand-made reviews: budget moves toward the channel with the cheaper early
// activations, spend already made stays capped, floors and maximums hold, no evidence leaves caps
// where they are and says so, and a bad input names its field.
import {
  ageText,
  PacingInputError,
  reallocatePacing,
  type PacingReviewInput,
} from '../../../planning/pacing-policy';

const channel = (
  channelCode: string,
  spentMinor: bigint,
  registrations: number,
  earlyEligible: number,
  earlyActivations: number,
  capMinor = 500_000n,
) => ({
  channelCode,
  capMinor,
  spentMinor,
  registrations,
  activations: earlyActivations,
  earlyActivations,
  earlyEligible,
});

const base = (channels: PacingReviewInput['channels']): PacingReviewInput => ({
  budgetMinor: 1_000_000n,
  channels,
  floorShare: 0.1,
  earlyDays: 7,
  seed: 'campaign-1:1',
});

const sum = (values: bigint[]) => values.reduce((s, v) => s + v, 0n);

describe('reallocatePacing', () => {
  it('moves the budget toward the channel whose registrations activate cheaper, and says why', () => {
    // Same spend and registrations; app's eligible registrations activated five times as often.
    const decision = reallocatePacing(
      base([channel('app', 200_000n, 400, 300, 90), channel('branch', 200_000n, 400, 300, 18)]),
    );
    const [app, branch] = decision.channels;
    expect(decision.method).toBe('thompson-sampling-v1');
    expect(sum(decision.channels.map((c) => c.toMinor))).toBe(1_000_000n);
    expect(app!.toMinor).toBeGreaterThan(500_000n);
    expect(branch!.toMinor).toBeLessThan(500_000n);
    expect(branch!.toMinor).toBeGreaterThanOrEqual(200_000n);
    expect(app!.reason).toContain('90 of 300 registrations at least 7 days old activated within that time');
    expect(app!.reason).toContain('cap raised from 500000');
    expect(branch!.reason).toContain('cap lowered from 500000');
    // 200 000 minor units bought 300 eligible of 400 registrations: 150 000 for 90.5 (shape ½ + 90).
    expect(app!.expectedCostPerActivationMinor).toBe(1657n);
    expect(branch!.expectedCostPerActivationMinor).toBe(8108n);
  });

  it('never caps a channel below what it has spent, and holds the floor of a poor one', () => {
    const decision = reallocatePacing({
      ...base([channel('app', 100_000n, 400, 300, 120), channel('branch', 350_000n, 100, 80, 0)]),
      floorShare: 0.2,
    });
    const [app, branch] = decision.channels;
    expect(branch!.toMinor).toBe(350_000n);
    expect(branch!.reason).toContain('cannot go below what the channel has already spent');
    expect(app!.toMinor).toBe(650_000n);

    const floors = reallocatePacing({
      ...base([channel('app', 100_000n, 400, 300, 120), channel('branch', 50_000n, 100, 80, 0)]),
      floorShare: 0.2,
    });
    expect(floors.channels[1]!.toMinor).toBe(200_000n);
    expect(floors.channels[1]!.reason).toContain('held at its floor');
  });

  it('keeps a channel at its maximum and gives the rest to the others', () => {
    const input = base([channel('app', 100_000n, 400, 300, 120), channel('branch', 100_000n, 400, 300, 20)]);
    input.channels[0]!.maxMinor = 300_000n;
    const decision = reallocatePacing(input);
    expect(decision.channels.map((c) => c.toMinor)).toEqual([300_000n, 700_000n]);
    expect(decision.channels[0]!.reason).toContain('at its maximum');
  });

  it('with no evidence anywhere keeps the caps, splits the rest evenly above the floors and says so', () => {
    const decision = reallocatePacing(
      base([
        channel('app', 0n, 0, 0, 0, 300_000n),
        channel('branch', 0n, 0, 0, 0, 100_000n),
        channel('wechat', 0n, 0, 0, 0, 0n),
      ]),
    );
    // Caps 300 000 / 100 000 / floor 100 000 use 500 000; the other 500 000 evenly: +166 667, +166 667, +166 666.
    expect(decision.channels.map((c) => c.toMinor)).toEqual([466_667n, 266_667n, 266_666n]);
    for (const c of decision.channels) {
      expect(c.reason).toContain('no activation evidence yet');
      expect(c.reason).toContain('no channel has evidence yet');
      expect(c.expectedCostPerActivationMinor).toBeUndefined();
    }
  });

  it('uses the history prior where there is no evidence yet', () => {
    const decision = reallocatePacing({
      ...base([channel('app', 0n, 0, 0, 0, 0n), channel('branch', 0n, 0, 0, 0, 0n)]),
      prior: {
        app: { activationsPerMillionMinor: 800, weight: 50 },
        branch: { activationsPerMillionMinor: 100, weight: 50 },
      },
    });
    expect(decision.channels[0]!.toMinor).toBeGreaterThan(decision.channels[1]!.toMinor);
    expect(decision.channels[0]!.reason).toContain(
      'history prior of 800 activations per million minor units',
    );
    expect(decision.channels[0]!.expectedCostPerActivationMinor).toBe(1250n);
  });

  it('gives the same answer for the same input and may explore differently for another seed', () => {
    const input = base([channel('app', 200_000n, 400, 300, 30), channel('branch', 200_000n, 400, 300, 28)]);
    const a = reallocatePacing(input);
    expect(reallocatePacing(structuredClone(input))).toEqual(a);
    const splits = new Set(
      Array.from(
        { length: 20 },
        (_, i) => reallocatePacing({ ...input, seed: `s${i}` }).channels[0]!.toMinor,
      ),
    );
    expect(splits.size).toBeGreaterThan(5);
  });

  it('reads the bend from how registrations slowed: a channel running out of audience gets less', () => {
    // Both spent 200 000, 100 000 of it a week ago, and activate alike. App's registrations kept pace
    // (200 of its 400 came from the first half); branch's slowed (350 of 400 from the first half).
    const input = base([channel('app', 200_000n, 400, 200, 40), channel('branch', 200_000n, 400, 350, 70)]);
    input.channels[0]!.spentEligibleMinor = 100_000n;
    input.channels[1]!.spentEligibleMinor = 100_000n;
    const seeds = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const appShare = seeds.filter((seed) => {
      const [app, branch] = reallocatePacing({ ...input, seed }).channels;
      return app!.toMinor > branch!.toMinor;
    });
    expect(appShare.length).toBeGreaterThanOrEqual(18);
    // Early activations weighed against the spend that bought them: 100 000 for 40.5 and 70.5.
    const decision = reallocatePacing(input);
    expect(decision.channels[0]!.expectedCostPerActivationMinor).toBe(2469n);
    expect(decision.channels[1]!.expectedCostPerActivationMinor).toBe(1418n);
  });

  it('with the budget spent holds every cap at its spend', () => {
    const decision = reallocatePacing(
      base([channel('app', 600_000n, 400, 300, 30), channel('branch', 400_000n, 400, 300, 28)]),
    );
    expect(decision.channels.map((c) => c.toMinor)).toEqual([600_000n, 400_000n]);
    expect(decision.channels[0]!.reason).toContain('has spent its budget');
  });

  it.each([
    [{ floorShare: 0.6 }, 'floorShare'],
    [{ budgetMinor: -1n }, 'budgetMinor'],
    [{ earlyShare: 0 }, 'earlyShare'],
    [{ channels: [channel('app', 0n, 3, 4, 0)] }, 'channels[0].earlyEligible'],
    [{ channels: [channel('app', -1n, 0, 0, 0)] }, 'channels[0].spentMinor'],
    [{ channels: [channel('app', 0n, 5, 2, 1), channel('app', 0n, 0, 0, 0)] }, 'channels[1].channelCode'],
    [
      { prior: { app: { activationsPerMillionMinor: 0, weight: 1 } } },
      'prior.app.activationsPerMillionMinor',
    ],
    [
      { channels: [{ ...channel('app', 10n, 5, 2, 1), spentEligibleMinor: 11n }] },
      'channels[0].spentEligibleMinor',
    ],
  ])('refuses %j naming %s', (change, field) => {
    const input = { ...base([channel('app', 0n, 0, 0, 0), channel('branch', 0n, 0, 0, 0)]), ...change };
    expect(() => reallocatePacing(input as PacingReviewInput)).toThrow(PacingInputError);
    try {
      reallocatePacing(input as PacingReviewInput);
    } catch (error) {
      expect((error as PacingInputError).field).toBe(field);
    }
  });
});

describe('the early window in words', () => {
  it.each([
    [7, '7 days'],
    [1, '1 day'],
    [0.5, '12 hours'],
    [1.5 / 24, '1.5 hours'],
    [1 / 86_400, '1 second'],
    [30 / 86_400, '30 seconds'],
    [0, '0 seconds'],
  ])('%p days reads "%s"', (days, text) => {
    expect(ageText(days)).toBe(text);
  });
});
