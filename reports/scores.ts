/**
 * From raw answers to one value per rater: the rating of an item or of a pulse focus area. N/A is
 * never a number: it stays null all the way to the figures.
 */
import type { RaterValue } from './aggregation';

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
