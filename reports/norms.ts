/**
 * Practice norms: how a leader's figures compare with those of the other leaders a coach has
 * worked with on the same questionnaire. A norm is a frozen snapshot of the leaders' published
 * "All others" figures, item by item and competency by competency; reports place a figure in it
 * as a percentile.
 *
 * A norm is an aggregate of leaders, and docs/anonymity.md applies to leaders as it does to raters:
 * it shows no leader's own figure (no quantile, minimum or maximum: each would be one leader's
 * value), only counts and averages over all its leaders, and two norms may both be seen only when
 * no combination of them isolates fewer than k leaders (`findLeaderLeak`), so a leader added between
 * two norms cannot be worked out from them. Team reports go through the same check.
 */
import { smallSupport } from './exact-rank';
import type { ReportModel } from './types';

/** One leader's contribution: the published report of their baseline round. */
export interface NormLeader {
  /** Stable and unique per leader (the engagement), so a leader enters a norm once. */
  id: string;
  report: ReportModel;
}

/** The values of one item or competency across the leaders who have one. */
export interface NormSubject {
  /** Leaders' "All others" means, ascending; stored, never shown one by one. */
  values: number[];
  /** Which leaders gave them (for the check across norms), in no particular order. */
  leaderIds: string[];
}

/** A frozen norm. */
export interface Norm {
  leaders: number;
  /** Per item id and competency id, with at least `minimumLeaders` values. */
  subjects: Record<string, NormSubject>;
}

/** What a report shows of a figure against a norm. */
export interface NormPlacement {
  /** Mid-rank percentile: 100 × (leaders below + half of those level) / leaders, 0..100. */
  percentile: number;
  /** At or above the 90th percentile: a strength among the practice's leaders. */
  top: boolean;
  /** The norm's average over its leaders. */
  average: number;
  leaders: number;
}

/** The percentile from which a figure is marked as among the practice's strongest. */
export const TOP_PERCENTILE = 90;

/** One leader's figures as a norm takes them: "All others" means by item and competency id. */
export interface NormFigures {
  /** Stable and unique per leader, as NormLeader.id. */
  id: string;
  /** The shown "All others" means only; a withheld figure has no entry. */
  figures: Record<string, number>;
}

/**
 * What a norm takes from a leader's report: the "All others" mean of every competency and item
 * where it is shown. Small enough to keep for hundreds of leaders while the norm is built.
 *
 * @example
 * normFigures(leader); // { id: 'L1', figures: { c1: 3.5, i1: 4, i2: 3 } }
 */
export function normFigures(leader: NormLeader): NormFigures {
  const figures: Record<string, number> = {};
  const add = (subject: string, figure: { withheld: boolean; mean?: number | null }) => {
    if (!figure.withheld && typeof figure.mean === 'number') figures[subject] = figure.mean;
  };
  for (const competency of leader.report.competencies) {
    add(competency.id, competency.allOthers);
    for (const item of competency.items) add(item.id, item.allOthers);
  }
  return { id: leader.id, figures };
}

/**
 * A norm from leaders' published reports: for every item and competency, the leaders' "All others"
 * means where shown. A subject with fewer than `minimumLeaders` values is left out, and so is the
 * norm as a whole (null) when fewer than `minimumLeaders` leaders take part. A leader listed twice
 * is taken once.
 *
 * @example
 * buildNorm(tenLeaders, 10).subjects.i1; // { values: [2.5, 3, 3.2, ...], leaderIds: [...] }
 * buildNorm(nineLeaders, 10);            // null
 */
export function buildNorm(leaders: readonly NormLeader[], minimumLeaders: number): Norm | null {
  return buildNormFromFigures(leaders.map(normFigures), minimumLeaders);
}

/**
 * `buildNorm` from the leaders' figures (`normFigures`), for a caller that reads leaders one at a
 * time and keeps only their figures. Linear in the number of figures.
 *
 * @example
 * buildNormFromFigures([{ id: 'a', figures: { i1: 2 } }, { id: 'b', figures: { i1: 4 } }, { id: 'c', figures: { i1: 3 } }], 3);
 * // { leaders: 3, subjects: { i1: { values: [2, 3, 4], leaderIds: ['a', 'b', 'c'] } } }
 */
export function buildNormFromFigures(leaders: readonly NormFigures[], minimumLeaders: number): Norm | null {
  const unique = [...new Map(leaders.map((leader) => [leader.id, leader])).values()];
  if (unique.length < minimumLeaders) return null;
  const collected = new Map<string, { values: number[]; leaderIds: string[] }>();
  for (const leader of unique) {
    for (const [subject, value] of Object.entries(leader.figures)) {
      let entry = collected.get(subject);
      if (!entry) collected.set(subject, (entry = { values: [], leaderIds: [] }));
      entry.values.push(value);
      entry.leaderIds.push(leader.id);
    }
  }
  const subjects: Record<string, NormSubject> = {};
  for (const [subject, entry] of collected) {
    if (entry.values.length < minimumLeaders) continue;
    // Sorted apart, so the stored lists do not pair a leader with their value.
    subjects[subject] = { values: entry.values.sort((a, b) => a - b), leaderIds: entry.leaderIds.sort() };
  }
  return { leaders: unique.length, subjects };
}

/**
 * Where a figure falls in a norm: the mid-rank percentile (leaders strictly below, plus half of
 * those exactly level, over all leaders), whether it reaches the 90th, and the norm's average.
 * Null when the norm has no values for the subject or the figure has no mean.
 *
 * @example
 * // norm values 2, 3, 3, 4 for i1; a figure of 3: (1 below + 2 level / 2) / 4 = 50
 * placeInNorm(norm, 'i1', 3); // { percentile: 50, top: false, average: 3, leaders: 4 }
 */
export function placeInNorm(norm: Norm, subject: string, value: number | null): NormPlacement | null {
  const entry = norm.subjects[subject];
  if (!entry || value === null) return null;
  const below = entry.values.filter((v) => v < value - 1e-9).length;
  const level = entry.values.filter((v) => Math.abs(v - value) <= 1e-9).length;
  const percentile = (100 * (below + level / 2)) / entry.values.length;
  return {
    percentile,
    top: percentile >= TOP_PERCENTILE - 1e-9,
    average: entry.values.reduce((total, v) => total + v, 0) / entry.values.length,
    leaders: entry.values.length,
  };
}

/**
 * Any published aggregate of leaders' figures, subject by subject: a norm, or the footprint of a team
 * report (reports/team-report.ts, `teamFootprint`), whose subjects share the norms' ids.
 */
export interface LeaderAggregate {
  subjects: Record<string, { leaderIds: readonly string[] }>;
}

/**
 * Whether a candidate aggregate (a norm, a team report) may join those already visible for the same
 * questionnaire: for every subject, the sets of leaders behind it in all of them must not let any
 * combination of their counts and averages rest on 1..k-1 leaders (leaders treated as
 * docs/anonymity.md treats anonymous raters). Leaders in `known` are seen anyway (a team report
 * shows the figures of leaders whose reports were released to them), so they are no unknown and
 * can be subtracted. Returns the first subject where some combination would isolate leaders, with
 * those leaders.
 *
 * @example
 * // norm 1 of leaders a..j; a candidate of a..j plus k alone adds one leader
 * findLeaderLeak([norm1], candidate, 3); // { subject: 'i1', leaders: ['k'] }
 * // team reports of a, b, c, d and of a, b, c, d, e where e's report was released: e is seen anyway
 * findLeaderLeak([team1], team2, 3, new Set(['e'])); // null
 */
export function findLeaderLeak(visible: readonly LeaderAggregate[], candidate: LeaderAggregate, k: number, known: ReadonlySet<string> = new Set()): { subject: string; leaders: string[] } | null {
  const aggregates = [...visible, candidate];
  const subjects = [...new Set(aggregates.flatMap((aggregate) => Object.keys(aggregate.subjects)))];
  // Most subjects rest on the same leaders in every aggregate: each distinct pattern is decided once.
  const decided = new Set<string>();
  for (const subject of subjects) {
    const sets = aggregates.map((aggregate) => new Set((aggregate.subjects[subject]?.leaderIds ?? []).filter((leader) => !known.has(leader))));
    const signature = JSON.stringify(sets.map((set) => [...set].sort()));
    if (decided.has(signature)) continue;
    decided.add(signature);
    const everyone = [...new Set(sets.flatMap((set) => [...set]))];
    // Leaders in exactly the same aggregates are interchangeable: one column each, weighing how many.
    const classes = new Map<string, string[]>();
    for (const leader of everyone) {
      const pattern = sets.map((set) => (set.has(leader) ? '1' : '0')).join('');
      const members = classes.get(pattern);
      if (members) members.push(leader);
      else classes.set(pattern, [leader]);
    }
    const columns = [...classes.entries()];
    const rows = sets.map((_, row) => columns.map(([pattern]) => (pattern[row] === '1' ? 1n : 0n))).filter((row) => row.some((cell) => cell !== 0n));
    const support = smallSupport(rows, columns.map(([, members]) => members.length), k);
    if (support) return { subject, leaders: support.flatMap((index) => columns[index]![1]) };
  }
  return null;
}
