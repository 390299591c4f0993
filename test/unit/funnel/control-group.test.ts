import { createHash } from 'node:crypto';
import { assignGroup, controlGroupPosition } from '../../../funnel/control-group';

describe('assignGroup', () => {
  it('puts the expected share in control, within tolerance, over 100k customers', () => {
    const n = 100_000;
    for (const share of [0.1, 0.5]) {
      let control = 0;
      for (let i = 0; i < n; i++) if (assignGroup('cmp_spring', `cust-${i}`, share) === 'control') control++;
      // Five standard deviations of a binomial: a correct implementation practically never fails this.
      const tolerance = 5 * Math.sqrt((share * (1 - share)) / n);
      expect(Math.abs(control / n - share)).toBeLessThan(tolerance);
    }
  });

  it('is deterministic, and pinned to sha256 of "campaignId:customerRef"', () => {
    expect(assignGroup('cmp_1', 'cust_42', 0.2)).toBe(assignGroup('cmp_1', 'cust_42', 0.2));
    // Recomputed independently: the first 13 hex digits are the first 52 bits.
    const hex = createHash('sha256').update('cmp_1:cust_42').digest('hex');
    expect(controlGroupPosition('cmp_1', 'cust_42')).toBe(parseInt(hex.slice(0, 13), 16) / 2 ** 52);
  });

  it('gives the same groups as a recorded sample, so a release cannot silently reshuffle them', () => {
    const refs = Array.from({ length: 12 }, (_, i) => `cust-${i}`);
    const groups = refs.map((ref) => assignGroup('cmp_recorded', ref, 0.3));
    const expected = refs.map((ref) => {
      const hex = createHash('sha256').update(`cmp_recorded:${ref}`).digest('hex');
      return parseInt(hex.slice(0, 13), 16) / 2 ** 52 < 0.3 ? 'control' : 'treatment';
    });
    expect(groups).toEqual(expected);
    expect(groups).toContain('control');
    expect(groups).toContain('treatment');
  });

  it('only moves customers from treatment to control when the share grows, and is independent per campaign', () => {
    const refs = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    const small = refs.filter((ref) => assignGroup('cmp_a', ref, 0.1) === 'control');
    const large = new Set(refs.filter((ref) => assignGroup('cmp_a', ref, 0.4) === 'control'));
    expect(small.every((ref) => large.has(ref))).toBe(true);
    const other = refs.filter((ref) => assignGroup('cmp_b', ref, 0.1) === 'control');
    expect(other).not.toEqual(small);
  });

  it('puts nobody in control at share 0 and refuses shares outside 0..0.5', () => {
    expect(assignGroup('cmp', 'x', 0)).toBe('treatment');
    expect(() => assignGroup('cmp', 'x', 0.6)).toThrow(RangeError);
    expect(() => assignGroup('cmp', 'x', -0.1)).toThrow(RangeError);
    expect(() => assignGroup('cmp', 'x', Number.NaN)).toThrow(RangeError);
  });
});
