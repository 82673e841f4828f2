import { describe, expect, it } from 'vitest';
import { seededShuffle, seededRandom } from '../../reports/random';
import {
  countPerPoint,
  effectSize,
  intervalOfAverage,
  mean,
  pooledSd,
  reaches,
  rwg,
  sampleSd,
  sampleVariance,
  uniformVariance,
  welchInterval,
} from '../../reports/statistics';
import { averageOfItems } from '../../reports/competency-figures';
import { validRating } from '../../reports/scores';
import { expectClose } from './fixtures';

describe('descriptive statistics', () => {
  it.each([
    // values, mean, sample variance (n-1)
    { values: [], mean: null, variance: null },
    { values: [4], mean: 4, variance: null }, // one value: no variance
    { values: [3, 4, 5], mean: 4, variance: 1 }, // (1 + 0 + 1) / 2
    { values: [1, 1, 2, 4], mean: 2, variance: 2 }, // (1 + 1 + 0 + 4) / 3
    { values: [5, 5, 5], mean: 5, variance: 0 },
  ])('mean and variance of $values', ({ values, mean: expectedMean, variance }) => {
    expect(mean(values)).toBe(expectedMean);
    expect(sampleVariance(values)).toBe(variance);
    expect(sampleSd(values)).toBe(variance === null ? null : Math.sqrt(variance));
  });

  it('counts answers per scale point, ignoring values off the scale', () => {
    expect(countPerPoint([1, 3, 3, 5, 9], [1, 2, 3, 4, 5])).toEqual([1, 0, 2, 0, 1]);
  });

  it('compares against thresholds with a tolerance', () => {
    expect(0.1 + 0.2 >= 0.3).toBe(true);
    expect(1 - 0.9 >= 0.1).toBe(false); // 0.09999999999999998: the naive comparison fails
    expect(reaches(1 - 0.9, 0.1)).toBe(true);
    expect(reaches(0.0999, 0.1)).toBe(false);
  });
});

describe('r_wg', () => {
  it.each([
    // sigma^2_EU = (K^2 - 1) / 12
    { points: 4, uniform: 1.25 }, // 15 / 12
    { points: 5, uniform: 2 }, // 24 / 12
    { points: 7, uniform: 4 }, // 48 / 12
  ])('uniform variance of a $points-point scale is $uniform', ({ points, uniform }) => {
    expect(uniformVariance(points)).toBe(uniform);
  });

  it.each([
    { variance: 1, points: 5, expected: 0.5 }, // 1 - 1/2
    { variance: 1, points: 4, expected: 0.2 }, // 1 - 1/1.25
    { variance: 1, points: 7, expected: 0.75 }, // 1 - 1/4
    { variance: 0, points: 5, expected: 1 }, // full agreement
    { variance: 3, points: 5, expected: 0 }, // 1 - 3/2 = -0.5, truncated to 0
  ])('r_wg(s^2 = $variance, K = $points) = $expected', ({ variance, points, expected }) => {
    expectClose(rwg(variance, points), expected, 1e-12);
  });
});

describe('Welch interval, pooled SD and effect size', () => {
  // t quantiles from a t table (two-sided 95%): df 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 8: 2.306
  it('equal n, equal variances: [1,2,2,2,3] -> [3,4,4,4,5]', () => {
    // means 2 and 4, s^2 = (1+0+0+0+1)/4 = 0.5 each; se = sqrt(0.5/5 + 0.5/5) = sqrt(0.2) = 0.447214
    // df = 0.2^2 / (0.1^2/4 + 0.1^2/4) = 0.04 / 0.005 = 8; margin = 2.306 * 0.447214 = 1.031275
    const ci = welchInterval({ mean: 2, sd: Math.sqrt(0.5), n: 5 }, { mean: 4, sd: Math.sqrt(0.5), n: 5 });
    if (typeof ci === 'string') throw new Error(ci);
    expectClose(ci.se, 0.447214, 1e-6);
    expectClose(ci.df, 8, 1e-9);
    expectClose(ci.lower, 2 - 1.031275, 1e-3);
    expectClose(ci.upper, 2 + 1.031275, 1e-3);
    // pooled SD = sqrt((4*0.5 + 4*0.5) / 8) = 0.707107; effect = 2 / 0.707107 = 2.828427
    expectClose(effectSize({ mean: 2, sd: Math.sqrt(0.5), n: 5 }, { mean: 4, sd: Math.sqrt(0.5), n: 5 }), 2.828427, 1e-6);
  });

  it('zero variance on one side reduces df to the other side n - 1', () => {
    // [3,3,3] -> [3,4,5,4]: s2^2 = (1+0+1+0)/3 = 2/3; se = sqrt(0 + (2/3)/4) = sqrt(1/6) = 0.408248
    // df = (1/6)^2 / ((1/6)^2 / 3) = 3; margin = 3.182 * 0.408248 = 1.299045
    const ci = welchInterval({ mean: 3, sd: 0, n: 3 }, { mean: 4, sd: Math.sqrt(2 / 3), n: 4 });
    if (typeof ci === 'string') throw new Error(ci);
    expectClose(ci.df, 3, 1e-9);
    expectClose(ci.lower, 1 - 1.299045, 1e-3);
    expectClose(ci.upper, 1 + 1.299045, 1e-3);
  });

  it('the interval of an average of differences: average se, smallest df (a competency from its items)', () => {
    // se (0.4 + 0.2) / 2 = 0.3; df min(8, 10) = 8; margin 2.306 * 0.3 = 0.6918 -> 0.75 +- 0.6918
    const ci = intervalOfAverage([{ se: 0.4, df: 8 }, { se: 0.2, df: 10 }], 0.75);
    expectClose(ci.se, 0.3, 1e-12);
    expect(ci.df).toBe(8);
    expectClose(ci.lower, 0.75 - 0.6918, 1e-3);
    expectClose(ci.upper, 0.75 + 0.6918, 1e-3);
    expect(ci.level).toBe(0.95);
  });

  it('says why when the interval is not estimable', () => {
    expect(welchInterval({ mean: 3, sd: null, n: 1 }, { mean: 4, sd: 1, n: 3 })).toBe('too few raters to estimate');
    expect(welchInterval({ mean: 3, sd: 0, n: 3 }, { mean: 4, sd: 0, n: 3 })).toBe('no variation in either round');
  });

  it('pooled SD and effect size are null when not estimable', () => {
    expect(pooledSd({ mean: 3, sd: null, n: 1 }, { mean: 4, sd: 1, n: 3 })).toBeNull();
    expect(effectSize({ mean: 3, sd: 0, n: 3 }, { mean: 4, sd: 0, n: 3 })).toBeNull(); // pooled SD 0
    // sqrt((2*1 + 2*4) / 4) = sqrt(2.5) = 1.581139
    expectClose(pooledSd({ mean: 3, sd: 1, n: 3 }, { mean: 4, sd: 2, n: 3 }), 1.581139, 1e-6);
  });
});

describe('scores', () => {
  it.each([
    { raw: 4, expected: 4 },
    { raw: null, expected: null },
    { raw: 0, expected: null },
    { raw: 6, expected: null },
    { raw: 2.5, expected: null },
    { raw: Number.NaN, expected: null },
    { raw: '4', expected: null },
  ])('validRating($raw) on 1..5 is $expected', ({ raw, expected }) => {
    expect(validRating(raw, 1, 5)).toBe(expected);
  });

  const shownMean = (mean: number, n = 3) => ({ withheld: false as const, n, mean });
  const hidden = { withheld: true as const, reason: 'too few answers on this item' };
  it.each([
    // 4 items: half is 2
    { figures: [shownMean(4), shownMean(5, 4), hidden, hidden], expected: { mean: 4.5, n: 4, itemsAveraged: 2 } }, // exactly half counts: (4+5)/2
    { figures: [shownMean(4), hidden, hidden, hidden], expected: null }, // 1 of 4
    { figures: [shownMean(4), { withheld: false as const, n: 0, mean: null }, hidden, hidden], expected: null }, // nobody answered the second
    // 3 items: 2 count (2*2 >= 3), 1 does not (1*2 < 3)
    { figures: [shownMean(2), hidden, shownMean(5)], expected: { mean: 3.5, n: 3, itemsAveraged: 2 } },
    { figures: [shownMean(2), hidden, hidden], expected: null },
    { figures: [], expected: null }, // nothing to average
  ])('competency figure from item figures $figures is $expected', ({ figures, expected }) => {
    const figure = averageOfItems(figures);
    if (expected === null) expect(figure.withheld).toBe(true);
    else expect(figure).toEqual({ withheld: false, ...expected, itemCount: figures.length });
  });
});

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom('round-1');
    const b = seededRandom('round-1');
    const c = seededRandom('round-2');
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = seededShuffle(items, 'seed');
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(seededShuffle(items, 'seed')).toEqual(shuffled);
  });
});
