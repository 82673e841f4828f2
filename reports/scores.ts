/**
 * From raw answers to one value per rater: the rating of an item, a rater's competency score, a
 * pulse rating. N/A is never a number: it stays null all the way to the figures.
 */
import type { RaterValue } from './aggregation';
import { mean } from './statistics';
import type { Competency } from './types';

/**
 * The answer as a rating when it is a whole number within [min, max], otherwise null (N/A). The
 * server validates answers; this guard only makes sure a stray value can never turn into NaN or a
 * skewed mean.
 *
 * @example
 * validRating(4, 1, 5);    // 4
 * validRating(null, 1, 5); // null (N/A)
 * validRating(6, 1, 5);    // null (off the scale)
 * validRating(2.5, 1, 5);  // null (not a scale point)
 */
export function validRating(raw: unknown, min: number, max: number): number | null {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : null;
}

/**
 * The rating a response gives to one key (item or focus area); a missing key is N/A.
 *
 * @example
 * ratingOf({ i1: 4 }, 'i1', 1, 5); // 4
 * ratingOf({ i1: 4 }, 'i2', 1, 5); // null
 */
export function ratingOf(ratings: Readonly<Record<string, unknown>>, key: string, min: number, max: number): number | null {
  return Object.hasOwn(ratings, key) ? validRating(ratings[key], min, max) : null;
}

/**
 * A rater's competency score: the mean of their answered items in it, counted only when they
 * answered at least half of the competency's items (answered * 2 >= item count).
 *
 * @example
 * // 4 items: two answered is exactly half, so it counts
 * competencyScore({ a: 4, b: 5, c: null }, ['a', 'b', 'c', 'd'], 5); // 4.5
 * competencyScore({ a: 4 }, ['a', 'b', 'c', 'd'], 5);                 // null (1 of 4)
 */
export function competencyScore(
  ratings: Readonly<Record<string, unknown>>,
  itemIds: readonly string[],
  points: number,
): number | null {
  const answered = itemIds.map((id) => ratingOf(ratings, id, 1, points)).filter((r): r is number => r !== null);
  if (answered.length === 0 || answered.length * 2 < itemIds.length) return null;
  return mean(answered);
}

/**
 * One value per response for an item (or a pulse focus area): its rating, or null for N/A.
 *
 * @example
 * keyRaterValues([{ groupKey: 'peers', ratings: { i1: 3 } }], 'i1', 1, 5);
 * // [{ groupKey: 'peers', value: 3 }]
 */
export function keyRaterValues(
  responses: readonly { groupKey: string; ratings: Readonly<Record<string, unknown>> }[],
  key: string,
  min: number,
  max: number,
): RaterValue[] {
  return responses.map((response) => ({ groupKey: response.groupKey, value: ratingOf(response.ratings, key, min, max) }));
}

/**
 * One value per response for a competency: the rater's competency score, or null when it does
 * not count.
 *
 * @example
 * competencyRaterValues([{ groupKey: 'peers', ratings: { a: 3, b: 5 } }], competencyOfAAndB, 5);
 * // [{ groupKey: 'peers', value: 4 }]
 */
export function competencyRaterValues(
  responses: readonly { groupKey: string; ratings: Readonly<Record<string, unknown>> }[],
  competency: Competency,
  points: number,
): RaterValue[] {
  const itemIds = competency.items.map((item) => item.id);
  return responses.map((response) => ({ groupKey: response.groupKey, value: competencyScore(response.ratings, itemIds, points) }));
}
