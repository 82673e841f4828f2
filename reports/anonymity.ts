/**
 * The anonymity rule of docs/anonymity.md, rule 2, written once and used for rounds, items, competencies, pulse
 * focus areas and (through the figures it decides) the change report.
 *
 * The promise: every shown figure of non-self raters, and every difference between shown figures
 * of the same item or competency, rests on 0 or at least k anonymous raters. Differences matter
 * because "All others" pools every group: with k = 3, manager 1, peers 1 and direct reports 3,
 * showing manager, direct reports and All others gives away the lone peer's answer as
 * 5 x others - manager - 3 x direct reports.
 *
 * The procedure only looks at counts, never at values, so it is the same whatever the scale.
 */

/** A non-self group as the procedure sees it: how many raters it has on the thing being shown. */
export interface GroupTally {
  key: string;
  anonymous: boolean;
  /** The effective minimum (see `effectiveMinimum`). */
  minimum: number;
  /** Raters counted: responders at round level, raters who answered for an item. */
  count: number;
}

/** A group moved into the residual to protect the groups already there. */
export interface Merge {
  key: string;
  /** Anonymous groups with raters in the residual at the time of the merge. */
  protects: string[];
}

/** Outcome of the procedure. */
export interface ShownGroupsDecision {
  /** Keys of groups shown on their own, in display order. */
  shown: string[];
  /** Eligible groups whose count is below their minimum (0 included), in display order. */
  belowMinimum: string[];
  /** Groups that reached their minimum but were merged, in merge order. */
  merged: Merge[];
  /** Anonymous raters over all groups: All others may be shown only when this reaches k. */
  anonymousTotal: number;
  /** Anonymous raters in no shown group: 0, at least k, or all of them when none can be shown. */
  residualAnonymous: number;
}

/**
 * The minimum a group must reach to be shown on its own. An anonymous group never goes below k
 * (docs/anonymity.md, rule 1: "never below k"); a not-anonymous group (the manager) counts
 * from 1 unless the coach set a higher minimum.
 *
 * @example
 * effectiveMinimum({ anonymous: true, minimum: 2 }, 3);  // 3
 * effectiveMinimum({ anonymous: true, minimum: 5 }, 3);  // 5
 * effectiveMinimum({ anonymous: false, minimum: 1 }, 3); // 1
 */
export function effectiveMinimum(group: { anonymous: boolean; minimum: number }, k: number): number {
  return group.anonymous ? Math.max(group.minimum, k) : Math.max(group.minimum, 1);
}

/**
 * Decides which groups are shown on their own, given how many raters each has.
 *
 * 1. S = the eligible groups whose count reaches their minimum.
 * 2. R = the anonymous raters of every group not in S (ineligible groups included: a group merged
 *    at round level stays merged on every item).
 * 3. While 0 < R < k and S holds an anonymous group, move the smallest one (ties: the later one in
 *    display order, so the earlier-listed group keeps its column) from S into R.
 *
 * Not-anonymous groups are never moved, although a general procedure would move them last: moving one
 * adds no anonymous rater to R, so it cannot lift R to k; it would only hide figures whose raters
 * were told they are visible. When the loop ends with 0 < R < k, every anonymous rater is in R and
 * the caller must withhold All others (anonymousTotal < k).
 *
 * @example
 * // k = 3; manager 1, peers 1, direct reports 3 (the example of docs/anonymity.md)
 * decideShownGroups([
 *   { key: 'manager', anonymous: false, minimum: 1, count: 1 },
 *   { key: 'peers', anonymous: true, minimum: 3, count: 1 },
 *   { key: 'reports', anonymous: true, minimum: 3, count: 3 },
 * ], 3);
 * // { shown: ['manager'], belowMinimum: ['peers'],
 * //   merged: [{ key: 'reports', protects: ['peers'] }], anonymousTotal: 4, residualAnonymous: 4 }
 */
export function decideShownGroups(
  tallies: readonly GroupTally[],
  k: number,
  eligibleKeys?: readonly string[],
): ShownGroupsDecision {
  const eligible = tallies.filter((tally) => eligibleKeys === undefined || eligibleKeys.includes(tally.key));
  let shown = eligible.filter((tally) => tally.count >= tally.minimum);
  const merged: Merge[] = [];
  const residualOf = () => tallies.filter((tally) => !shown.includes(tally));
  for (;;) {
    const residualAnonymous = anonymousRaters(residualOf());
    const victim = residualAnonymous > 0 && residualAnonymous < k ? smallestAnonymous(shown) : undefined;
    if (victim === undefined) break;
    const protects = residualOf().filter((tally) => tally.anonymous && tally.count > 0).map((tally) => tally.key);
    merged.push({ key: victim.key, protects });
    shown = shown.filter((tally) => tally !== victim);
  }
  return {
    shown: shown.map((tally) => tally.key),
    belowMinimum: eligible.filter((tally) => tally.count < tally.minimum).map((tally) => tally.key),
    merged,
    anonymousTotal: anonymousRaters(tallies),
    residualAnonymous: anonymousRaters(residualOf()),
  };
}

function anonymousRaters(tallies: readonly GroupTally[]): number {
  return tallies.filter((tally) => tally.anonymous).reduce((total, tally) => total + tally.count, 0);
}

/** The smallest anonymous group; `<=` makes the later group win a tie. */
function smallestAnonymous(tallies: readonly GroupTally[]): GroupTally | undefined {
  let smallest: GroupTally | undefined;
  for (const tally of tallies) {
    if (tally.anonymous && (smallest === undefined || tally.count <= smallest.count)) smallest = tally;
  }
  return smallest;
}
