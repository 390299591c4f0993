// The behaviour model is where treatment and control may differ, and only through the messages received:
// same customer, same draws, received-or-not → only the message-dependent propensity differs.
import { audienceEffect } from '../../../traffic/audience';
import {
  basePropensity,
  decide,
  messageLift,
  NOTHING_RECEIVED,
  opportunitiesFrom,
  propensity,
  type ActionKind,
  type Opportunity,
} from '../../../traffic/behaviour';
import { BEHAVIOUR, MESSAGE_EFFECT } from '../../../traffic/model';
import { seededRandom } from '../../../simulator/random';

const KINDS: ActionKind[] = ['login', 'deposit', 'transaction'];
const medium = audienceEffect(null);

describe('propensities', () => {
  it('are the base propensities when nothing was received (every control customer)', () => {
    for (const kind of KINDS) {
      expect(messageLift(kind, NOTHING_RECEIVED)).toBe(0);
      expect(propensity(kind, medium, NOTHING_RECEIVED)).toBe(basePropensity(kind, medium));
    }
    expect(basePropensity('login', medium)).toBe(BEHAVIOUR.loginPropensity);
  });

  it('rise with each education and engagement message, up to the counted maximum, never past the cap', () => {
    for (const kind of KINDS) {
      const p = (education: number, engagement: number) =>
        propensity(kind, medium, { education, engagement });
      expect(p(1, 0)).toBeGreaterThan(p(0, 0));
      expect(p(0, 1)).toBeGreaterThan(p(0, 0));
      expect(p(2, 1)).toBeGreaterThan(p(1, 1));
      expect(p(MESSAGE_EFFECT.maxCounted + 5, 0)).toBe(p(MESSAGE_EFFECT.maxCounted, 0));
      expect(p(50, 50)).toBeLessThanOrEqual(BEHAVIOUR.maxPropensity);
      // p' = 1 − (1 − p)(1 − e): one education message closes e of the gap.
      const base = p(0, 0);
      expect(p(1, 0)).toBeCloseTo(1 - (1 - base) * (1 - MESSAGE_EFFECT.education[kind]), 12);
    }
  });

  it('depend on the channel audience', () => {
    const low = audienceEffect({ willingnessToPay: 'low' });
    const high = audienceEffect({ willingnessToPay: 'high', ageBands: { '45-54': 0.5 } });
    expect(basePropensity('deposit', high)).toBeGreaterThan(basePropensity('deposit', low));
    expect(high.depositMinor).toBeGreaterThan(low.depositMinor);
    const finance = audienceEffect({ interests: ['investing'] });
    expect(basePropensity('login', finance)).toBeGreaterThan(basePropensity('login', medium));
  });
});

describe('decide', () => {
  const draws = () => {
    const random = seededRandom(2026);
    return Array.from({ length: 2_000 }, () => opportunitiesFrom(random));
  };

  it('gives the same decision for the same draws whatever else, and differs only where the messages lift the propensity', () => {
    const received = { education: 2, engagement: 1 };
    let differing = 0;
    for (const opportunities of draws()) {
      for (const o of opportunities) {
        const history = { logins: 1 };
        const without = decide(o, medium, NOTHING_RECEIVED, history);
        const withMessages = decide(o, medium, received, history);
        expect(decide(o, medium, NOTHING_RECEIVED, history)).toEqual(without);
        // A message never stops someone who would have acted; it makes act those whose draw falls
        // between the base and the lifted propensity, and only those.
        if (without.act) expect(withMessages).toEqual({ ...without, propensity: withMessages.propensity });
        const between = o.draw >= without.propensity && o.draw < withMessages.propensity;
        expect(withMessages.act).toBe(without.act || between);
        if (withMessages.act !== without.act) differing += 1;
      }
    }
    expect(differing).toBeGreaterThan(100);
  });

  it('makes treatment customers act more often than control ones over many customers', () => {
    let control = 0;
    let treatment = 0;
    for (const opportunities of draws()) {
      const deposit = opportunities.find((o) => o.kind === 'deposit') as Opportunity;
      if (decide(deposit, medium, NOTHING_RECEIVED, { logins: 1 }).act) control += 1;
      if (decide(deposit, medium, { education: 1, engagement: 1 }, { logins: 1 }).act) treatment += 1;
    }
    expect(treatment / control).toBeGreaterThan(1.3);
  });

  it('lets nobody deposit or transact before a first login', () => {
    for (const opportunities of draws().slice(0, 200)) {
      for (const o of opportunities.filter((x) => x.kind !== 'login')) {
        expect(decide(o, medium, { education: 3, engagement: 3 }, { logins: 0 }).act).toBe(false);
      }
    }
  });

  it('books amounts and revenue in whole minor units', () => {
    const o: Opportunity = { kind: 'deposit', ordinal: 0, atFraction: 0.5, draw: 0, amountDraw: 0.5 };
    const d = decide(o, medium, NOTHING_RECEIVED, { logins: 1 });
    expect(d).toEqual({
      act: true,
      propensity: basePropensity('deposit', medium),
      amountMinor: 1_000_000, // ¥8,000 × (0.5 + 1.5 × 0.5)
      revenueMinor: 3_000, // 30 bp
    });
  });

  it('draws opportunities in time order and in one fixed order of draws', () => {
    const a = opportunitiesFrom(seededRandom(3));
    expect(a).toEqual(opportunitiesFrom(seededRandom(3)));
    expect(a.map((o) => o.atFraction)).toEqual([...a.map((o) => o.atFraction)].sort((x, y) => x - y));
    expect(a.every((o) => o.atFraction > 0 && o.atFraction < 1)).toBe(true);
  });
});
