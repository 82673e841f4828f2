/**
 * The plain statistics the reports need. Small, pure and separately tested, so the report builders
 * read as definitions rather than arithmetic.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { ConfidenceInterval } from './types';

/**
 * Tolerance for comparisons against thresholds. Means are ratios of small integers, but a gap
 * (difference of two means) can land a hair below an exact threshold in binary floating point;
 * "exactly tau counts" must not depend on that.
 */
export const EPSILON = 1e-9;

/**
 * True when `value` reaches `bound`, tolerating floating-point error.
 *
 * @example
 * reaches(0.1 + 0.2, 0.3); // true, although 0.1 + 0.2 > 0.3 is the exact float comparison
 * reaches(0.29, 0.3);      // false
 */
export function reaches(value: number, bound: number): boolean {
  return value >= bound - EPSILON;
}

/**
 * True when the two numbers are equal up to floating-point error (used to detect ties).
 *
 * @example
 * nearlyEqual(2 / 3, 4 / 6); // true
 */
export function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPSILON;
}

/**
 * Arithmetic mean; null for no values (never NaN).
 *
 * @example
 * mean([3, 4, 5]); // 4
 * mean([]);        // null
 */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return sum(values) / values.length;
}

/**
 * Sample variance (n - 1 denominator); null below two values, where it is undefined.
 *
 * @example
 * sampleVariance([3, 4, 5]); // 1  ((1 + 0 + 1) / 2)
 * sampleVariance([4]);       // null
 */
export function sampleVariance(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  // Two passes: subtracting the mean first keeps the squares small and exact for integer ratings.
  const m = sum(values) / values.length;
  return sum(values.map((x) => (x - m) ** 2)) / (values.length - 1);
}

/**
 * Sample standard deviation; null below two values.
 *
 * @example
 * sampleSd([2, 4, 4, 4, 5, 5, 7, 9]); // 2.138... (sqrt(32/7))
 */
export function sampleSd(values: readonly number[]): number | null {
  const variance = sampleVariance(values);
  return variance === null ? null : Math.sqrt(variance);
}

/**
 * Variance of answers spread uniformly over a K-point scale, (K^2 - 1) / 12: the "no agreement at
 * all" reference of r_wg.
 *
 * @example
 * uniformVariance(5); // 2
 * uniformVariance(7); // 4
 */
export function uniformVariance(points: number): number {
  return (points * points - 1) / 12;
}

/**
 * Within-group agreement r_wg = 1 - s^2 / sigma^2_EU, truncated to [0, 1]: a variance above the
 * uniform one would otherwise give a negative "agreement", which has no meaning.
 *
 * @example
 * rwg(1, 5); // 0.5  (1 - 1/2)
 * rwg(3, 5); // 0    (1 - 3/2 = -0.5, truncated)
 */
export function rwg(variance: number, points: number): number {
  return Math.min(1, Math.max(0, 1 - variance / uniformVariance(points)));
}

/**
 * Count of values at each point of `points` (values not in `points` are not counted).
 *
 * @example
 * countPerPoint([1, 3, 3, 5], [1, 2, 3, 4, 5]); // [1, 0, 2, 0, 1]
 */
export function countPerPoint(values: readonly number[], points: readonly number[]): number[] {
  return points.map((point) => values.filter((value) => value === point).length);
}

/** A sample summarised as a report figure shows it. */
export interface SampleSummary {
  mean: number;
  sd: number | null;
  n: number;
}

/** Why a Welch interval could not be computed. */
export type NoIntervalReason = 'too few raters to estimate' | 'no variation in either round';

/**
 * Welch's confidence interval for `after.mean - before.mean`, with Welch-Satterthwaite degrees of
 * freedom and the t quantile from stdlib. Returns the reason instead when it is not estimable:
 * fewer than two raters on a side (no variance), or zero variance on both sides (se = 0, the
 * interval would be a single point and claim certainty nobody has). Zero variance on one side is
 * fine: df then reduces to the other side's n - 1.
 *
 * @example
 * welchInterval({ mean: 3, sd: 1, n: 5 }, { mean: 4, sd: 1, n: 5 });
 * // se = sqrt(1/5 + 1/5) = 0.632, df = 8, t_{0.975,8} = 2.306, margin = 1.459
 * // { lower: -0.459, upper: 2.459, level: 0.95, df: 8, se: 0.632 }
 */
export function welchInterval(
  before: SampleSummary,
  after: SampleSummary,
  level = 0.95,
): ConfidenceInterval | NoIntervalReason {
  if (before.n < 2 || after.n < 2 || before.sd === null || after.sd === null) return 'too few raters to estimate';
  const a = before.sd ** 2 / before.n;
  const b = after.sd ** 2 / after.n;
  if (a + b === 0) return 'no variation in either round';
  const se = Math.sqrt(a + b);
  const df = (a + b) ** 2 / (a ** 2 / (before.n - 1) + b ** 2 / (after.n - 1));
  const margin = tQuantile(0.5 + level / 2, df) * se;
  const difference = after.mean - before.mean;
  return { lower: difference - margin, upper: difference + margin, level, df, se };
}

/**
 * A conservative interval for the average of several differences whose correlation is unknown
 * (the items of one competency, answered by the same raters): the standard error is the average
 * of the parts' standard errors, which is never less than the true standard error of the average
 * (Minkowski: sd(X + Y) <= sd(X) + sd(Y)), and the t quantile is that of the smallest degrees of
 * freedom among the parts, the largest quantile.
 *
 * @example
 * intervalOfAverage([{ se: 0.4, df: 8, ... }, { se: 0.2, df: 10, ... }], 0.75);
 * // se = 0.3, df = 8, t_{0.975,8} = 2.306, margin = 0.692: { lower: 0.058, upper: 1.442, level: 0.95, df: 8, se: 0.3 }
 */
export function intervalOfAverage(parts: ReadonlyArray<Pick<ConfidenceInterval, 'se' | 'df'>>, difference: number, level = 0.95): ConfidenceInterval {
  const se = sum(parts.map((part) => part.se)) / parts.length;
  const df = Math.min(...parts.map((part) => part.df));
  const margin = tQuantile(0.5 + level / 2, df) * se;
  return { lower: difference - margin, upper: difference + margin, level, df, se };
}

/**
 * Pooled standard deviation sqrt(((n1-1)s1^2 + (n2-1)s2^2) / (n1+n2-2)); null when either side has
 * fewer than two raters (an effect size against a single rater says nothing).
 *
 * @example
 * pooledSd({ mean: 3, sd: 1, n: 3 }, { mean: 4, sd: 2, n: 3 }); // sqrt((2*1 + 2*4) / 4) = 1.581...
 */
export function pooledSd(before: SampleSummary, after: SampleSummary): number | null {
  if (before.n < 2 || after.n < 2 || before.sd === null || after.sd === null) return null;
  const pooledVariance = ((before.n - 1) * before.sd ** 2 + (after.n - 1) * after.sd ** 2) / (before.n + after.n - 2);
  return Math.sqrt(pooledVariance);
}

/**
 * Standardised difference (after - before) / pooled SD; null when the pooled SD is missing or 0.
 *
 * @example
 * effectSize({ mean: 3, sd: 1, n: 3 }, { mean: 4, sd: 1, n: 3 }); // 1
 */
export function effectSize(before: SampleSummary, after: SampleSummary): number | null {
  const pooled = pooledSd(before, after);
  if (pooled === null || pooled === 0) return null;
  return (after.mean - before.mean) / pooled;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, x) => total + x, 0);
}
