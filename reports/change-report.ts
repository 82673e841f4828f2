/**
 * The change report: an evaluation round against its baseline, compared from the published report
 * versions of both rounds (docs/anonymity.md, rule 3: nothing newer than what the coach and client could see).
 * Item comparisons use the item figures of each round; competency comparisons are derived from the
 * item comparisons of the same set of raters (docs/anonymity.md, rule 4), so every number here is a function of
 * numbers already shown in the two reports. Nothing here looks at a response.
 */
import { ReportInputError } from './errors';
import { effectSize, intervalOfAverage, pooledSd, welchInterval, type SampleSummary } from './statistics';
import type {
  ChangeEntry,
  ChangeHeadline,
  ChangeOptions,
  ChangeReport,
  ChangeSummary,
  ChangeVerdict,
  Comparison,
  ConfidenceInterval,
  Figure,
  FocusAreaStatus,
  FocusRef,
  GroupRoundCounts,
  GroupSummary,
  ItemResult,
  NoComparison,
  ReportModel,
} from './types';

/** The confidence level of every interval of the change report. */
export const CONFIDENCE_LEVEL = 0.95;

const SELF_REASON = 'the self-assessment is a single rater: difference only';

/**
 * Compares an evaluation report with its baseline report, per competency and item, for self, All
 * others and each group shown on its own in both rounds: difference of means, a 95% interval,
 * effect size and a verdict that is "reliable" only when the interval excludes 0. Items use
 * Welch's interval; a competency averages its items' comparisons (see `compareCompetency`).
 *
 * @example
 * const change = buildChangeReport(baselineReport, evaluationReport, {
 *   focus: [{ type: 'competency', id: 'delegation' }],
 *   ratersInBoth: 4,
 * });
 * change.competencies[0];            // the focus competency, flagged focus: true
 * change.summary.focus.improvements; // e.g. [{ id: 'delegation', difference: 0.9, ciLower: 0.2, ... }]
 */
export function buildChangeReport(before: ReportModel, after: ReportModel, options: ChangeOptions): ChangeReport {
  assertSameScale(before, after);
  const groups = groupRoundCounts(before, after);
  const compared = groups.filter((group) => group.compared);
  const isFocus = (type: FocusRef['type'], id: string) => options.focus.some((f) => f.type === type && f.id === id);
  const itemEntries = pairBy(itemsOf(before), itemsOf(after), byId).map(({ id, before: b, after: a }) =>
    itemEntry(id, b, a, compared, isFocus('item', id)),
  );
  const competencyEntries = pairBy(before.competencies, after.competencies, byId).map(({ id, before: b, after: a }) =>
    competencyEntry(
      { id, label: (a ?? b)!.name, itemIds: (a ?? b)!.items.map((item) => item.id), present: b !== undefined && a !== undefined ? null : b === undefined ? 'baseline' : 'evaluation' },
      itemEntries,
      compared,
      isFocus('competency', id),
    ),
  );
  const competencies = focusFirst(competencyEntries, options.focus);
  const items = focusFirst(itemEntries, options.focus);
  const focusAreas = options.focus.map(({ type, id }): FocusAreaStatus => {
    const entry = findEntry({ type, id }, competencies, items);
    return { type, id, label: entry?.label ?? id, found: entry !== undefined };
  });
  return {
    settings: {
      scalePoints: after.settings.scalePoints,
      scaleLabels: after.settings.scaleLabels,
      confidenceLevel: CONFIDENCE_LEVEL,
    },
    groups,
    ratersInBoth: options.ratersInBoth,
    focusAreas,
    competencies,
    items,
    summary: summariseChanges(competencies, items, focusAreas),
    charts: changeCharts(competencies, items, focusAreas),
    notes: [
      ...before.notes.map((note) => `Baseline: ${note}`),
      ...after.notes.map((note) => `Evaluation: ${note}`),
      ...focusAreas.filter((area) => !area.found).map((area) => `Focus area ${area.type} "${area.id}" is in neither questionnaire`),
    ],
  };
}

/**
 * Compares two figures of the same item in two rounds. Not compared when either is withheld or
 * has no answers. `single` marks the self-assessment, one rater: difference only, no interval.
 * Otherwise Welch's interval decides the verdict; when it cannot be estimated (fewer than two
 * raters, no variation in either round) the verdict is "no-reliable-change" and `reason` says why.
 *
 * @example
 * compareFigures(
 *   { withheld: false, n: 5, nNA: 0, mean: 3, sd: 1 },
 *   { withheld: false, n: 5, nNA: 0, mean: 4, sd: 1 },
 *   false,
 * );
 * // { compared: true, difference: 1, ci: { lower: -0.459, upper: 2.459, df: 8, ... }, effectSize: 1,
 * //   verdict: 'no-reliable-change', reason: null, itemsCompared: null, ... }
 */
export function compareFigures(before: Figure, after: Figure, single: boolean): Comparison | NoComparison {
  if (before.withheld || after.withheld) {
    return notCompared(`withheld in ${whichRounds(before.withheld, after.withheld)}`);
  }
  if (before.mean === null || after.mean === null) {
    return notCompared(`no answers in ${whichRounds(before.mean === null, after.mean === null)}`);
  }
  const baseline: SampleSummary = { mean: before.mean, n: before.n, sd: before.sd };
  const evaluation: SampleSummary = { mean: after.mean, n: after.n, sd: after.sd };
  const difference = evaluation.mean - baseline.mean;
  if (single) return selfComparison(baseline, evaluation, null);
  const interval = welchInterval(baseline, evaluation, CONFIDENCE_LEVEL);
  const ci = typeof interval === 'string' ? null : interval;
  return {
    compared: true,
    baseline,
    evaluation,
    difference,
    ci,
    effectSize: effectSize(baseline, evaluation),
    verdict: verdictOf(ci),
    reason: typeof interval === 'string' ? interval : null,
    itemsCompared: null,
  };
}

/**
 * A competency's change, derived from the comparisons of its items for the same set of raters:
 * compared when at least half of its items were compared. Its means are the means of those items'
 * means in each round, its difference the mean of their differences. Its interval averages the
 * items' standard errors and uses the t quantile of the smallest Welch degrees of freedom among
 * them: the standard error of an average is never more than the average of the standard errors,
 * whatever the correlation between items, so the interval can only be wider than the unknown
 * exact one, never narrower (it errs towards "no reliable change"). The effect size is the
 * difference over the mean of the items' pooled standard deviations.
 *
 * @example
 * // two items, each compared: differences 1 and 0.5, se 0.4 and 0.2, df 8 and 10
 * compareCompetency([item1Comparison, item2Comparison], 2, false);
 * // difference 0.75, ci.se 0.3, ci.df 8, margin t(0.975, 8) * 0.3 = 0.692: [0.058, 1.442]
 */
export function compareCompetency(items: ReadonlyArray<Comparison | NoComparison>, itemCount: number, single: boolean): Comparison | NoComparison {
  const compared = items.filter((item): item is Comparison => item.compared);
  if (compared.length === 0 || compared.length * 2 < itemCount) {
    const first = items.find((item): item is NoComparison => !item.compared);
    return notCompared(compared.length === 0 && first ? first.reason : 'fewer than half of its items could be compared');
  }
  const average = (values: number[]) => values.reduce((total, value) => total + value, 0) / values.length;
  const side = (round: 'baseline' | 'evaluation'): SampleSummary => ({
    mean: average(compared.map((item) => item[round].mean)),
    n: Math.max(...compared.map((item) => item[round].n)),
    sd: null,
  });
  const [baseline, evaluation] = [side('baseline'), side('evaluation')];
  if (single) return selfComparison(baseline, evaluation, compared.length);
  const difference = evaluation.mean - baseline.mean;
  const intervals = compared.map((item) => item.ci);
  const ci = intervals.every((interval): interval is ConfidenceInterval => interval !== null)
    ? intervalOfAverage(intervals, difference, CONFIDENCE_LEVEL)
    : null;
  const pooled = compared.map((item) => pooledSd(item.baseline, item.evaluation));
  const meanPooled = pooled.every((value): value is number => value !== null) ? average(pooled) : null;
  return {
    compared: true,
    baseline,
    evaluation,
    difference,
    ci,
    effectSize: meanPooled === null || meanPooled === 0 ? null : difference / meanPooled,
    verdict: verdictOf(ci),
    reason: ci === null ? (compared.find((item) => item.ci === null)!.reason ?? 'too few raters to estimate') : null,
    itemsCompared: compared.length,
  };
}

function selfComparison(baseline: SampleSummary, evaluation: SampleSummary, itemsCompared: number | null): Comparison {
  return {
    compared: true,
    baseline,
    evaluation,
    difference: evaluation.mean - baseline.mean,
    ci: null,
    effectSize: null,
    verdict: 'no-reliable-change',
    reason: SELF_REASON,
    itemsCompared,
  };
}

/**
 * "Reliable" only when the interval excludes 0; no interval means no reliable change.
 *
 * @example
 * verdictOf({ lower: 0.2, upper: 1.4, level: 0.95, df: 8, se: 0.3 }); // 'reliable-improvement'
 * verdictOf(null);                                                    // 'no-reliable-change'
 */
export function verdictOf(ci: ConfidenceInterval | null): ChangeVerdict {
  if (ci !== null && ci.lower > 0) return 'reliable-improvement';
  if (ci !== null && ci.upper < 0) return 'reliable-decline';
  return 'no-reliable-change';
}

function assertSameScale(before: ReportModel, after: ReportModel): void {
  const [a, b] = [before.settings.scalePoints, after.settings.scalePoints];
  if (a !== b) throw new ReportInputError(`the rounds use different scales (${a} and ${b} points) and cannot be compared`);
}

function itemsOf(report: ReportModel): ItemResult[] {
  return report.competencies.flatMap((competency) => competency.items);
}

/** Pairs what both rounds have by key: evaluation order first, then whatever only the baseline had. */
function pairBy<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (x: T) => string,
): Array<{ id: string; before: T | undefined; after: T | undefined }> {
  const afterIds = after.map(keyOf);
  const ids = [...afterIds, ...before.map(keyOf).filter((id) => !afterIds.includes(id))];
  return ids.map((id) => ({ id, before: before.find((x) => keyOf(x) === id), after: after.find((x) => keyOf(x) === id) }));
}

const byId = (x: { id: string }) => x.id;

function missingEntry(common: Omit<ChangeEntry, 'comparable' | 'reason' | 'self' | 'allOthers' | 'groups'>, reason: string, compared: readonly GroupRoundCounts[]): ChangeEntry {
  return {
    ...common,
    comparable: false,
    reason,
    self: notCompared(reason),
    allOthers: notCompared(reason),
    groups: compared.map((group) => ({ groupKey: group.key, label: group.label, comparison: notCompared(reason) })),
  };
}

function itemEntry(id: string, before: ItemResult | undefined, after: ItemResult | undefined, compared: readonly GroupRoundCounts[], focus: boolean): ChangeEntry {
  const common = { type: 'item' as const, id, label: (after ?? before)!.text, competencyId: (after ?? before)!.competencyId, focus };
  if (before === undefined || after === undefined) return missingEntry(common, `not in the ${before === undefined ? 'baseline' : 'evaluation'} questionnaire`, compared);
  const groupFigure = (item: ItemResult, key: string) => item.groups.find((g) => g.groupKey === key)!.figure;
  return {
    ...common,
    comparable: true,
    reason: null,
    self: compareFigures(before.self, after.self, true),
    allOthers: compareFigures(before.allOthers, after.allOthers, false),
    groups: compared.map((group) => ({
      groupKey: group.key,
      label: group.label,
      comparison: compareFigures(groupFigure(before, group.key), groupFigure(after, group.key), false),
    })),
  };
}

interface CompetencySubject {
  id: string;
  label: string;
  itemIds: string[];
  /** The round the competency is missing from, or null when it is in both. */
  present: null | 'baseline' | 'evaluation';
}

function competencyEntry(subject: CompetencySubject, itemEntries: readonly ChangeEntry[], compared: readonly GroupRoundCounts[], focus: boolean): ChangeEntry {
  const common = { type: 'competency' as const, id: subject.id, label: subject.label, competencyId: subject.id, focus };
  if (subject.present !== null) return missingEntry(common, `not in the ${subject.present} questionnaire`, compared);
  const items = subject.itemIds.map((id) => itemEntries.find((entry) => entry.id === id)!);
  const count = subject.itemIds.length;
  return {
    ...common,
    comparable: true,
    reason: null,
    self: compareCompetency(items.map((item) => item.self), count, true),
    allOthers: compareCompetency(items.map((item) => item.allOthers), count, false),
    groups: compared.map((group) => ({
      groupKey: group.key,
      label: group.label,
      comparison: compareCompetency(items.map((item) => item.groups.find((g) => g.groupKey === group.key)!.comparison), count, false),
    })),
  };
}

/** Focus entries first, in the order the focus areas were chosen; then the rest as they were. */
function focusFirst(entries: ChangeEntry[], focus: readonly FocusRef[]): ChangeEntry[] {
  const focusIndex = (entry: ChangeEntry) => focus.findIndex((f) => f.type === entry.type && f.id === entry.id);
  const focused = entries.filter((entry) => entry.focus).sort((a, b) => focusIndex(a) - focusIndex(b));
  return [...focused, ...entries.filter((entry) => !entry.focus)];
}

function findEntry(ref: FocusRef, competencies: readonly ChangeEntry[], items: readonly ChangeEntry[]): ChangeEntry | undefined {
  return (ref.type === 'competency' ? competencies : items).find((entry) => entry.id === ref.id);
}

function groupRoundCounts(before: ReportModel, after: ReportModel): GroupRoundCounts[] {
  const counts = (group: GroupSummary | undefined) =>
    group === undefined ? null : { invited: group.invited, completed: group.completed, status: group.status };
  return pairBy(before.groups, after.groups, (group) => group.key).map(({ id, before: b, after: a }) => ({
    key: id,
    label: (a ?? b)!.label,
    baseline: counts(b),
    evaluation: counts(a),
    compared: a?.status === 'shown' && b?.status === 'shown',
  }));
}

function summariseChanges(
  competencies: readonly ChangeEntry[],
  items: readonly ChangeEntry[],
  focusAreas: readonly FocusAreaStatus[],
): ChangeSummary {
  const focusEntries = focusAreas.map((area) => ({ area, entry: findEntry(area, competencies, items) }));
  const compared = focusEntries.flatMap(({ entry }) => (entry !== undefined && entry.allOthers.compared ? [entry] : []));
  const others = [...competencies, ...items].filter((entry) => !entry.focus);
  return {
    focus: {
      improvements: headlines(compared, 'reliable-improvement'),
      declines: headlines(compared, 'reliable-decline'),
      noReliableChange: headlines(compared, 'no-reliable-change'),
      notCompared: focusEntries.flatMap(({ area, entry }) => {
        const comparison = entry?.allOthers;
        if (comparison?.compared) return [];
        const reason = comparison === undefined ? 'not in the questionnaire of either round' : comparison.reason;
        return [{ type: area.type, id: area.id, label: area.label, reason }];
      }),
    },
    other: {
      improvements: headlines(others, 'reliable-improvement'),
      declines: headlines(others, 'reliable-decline'),
    },
  };
}

function headlines(entries: readonly ChangeEntry[], verdict: ChangeVerdict): ChangeHeadline[] {
  return entries.flatMap((entry) => {
    const c = entry.allOthers;
    if (!c.compared || c.verdict !== verdict) return [];
    return [{
      type: entry.type,
      id: entry.id,
      label: entry.label,
      baselineMean: c.baseline.mean,
      evaluationMean: c.evaluation.mean,
      difference: c.difference,
      ciLower: c.ci?.lower ?? null,
      ciUpper: c.ci?.upper ?? null,
      effectSize: c.effectSize,
    }];
  });
}

/** All others before and after: per competency, and per focus area found in the questionnaire. */
function changeCharts(
  competencies: readonly ChangeEntry[],
  items: readonly ChangeEntry[],
  focusAreas: readonly FocusAreaStatus[],
): ChangeReport['charts'] {
  const series = (round: 'baseline' | 'evaluation') => competencies.map((entry) => othersMean(entry, round));
  return {
    competencies: {
      labels: competencies.map((entry) => entry.label),
      datasets: [
        { key: 'baseline', label: 'Baseline', data: series('baseline') },
        { key: 'evaluation', label: 'Evaluation', data: series('evaluation') },
      ],
    },
    focusAreas: focusAreas.flatMap(({ type, id, label }) => {
      const entry = findEntry({ type, id }, competencies, items);
      if (entry === undefined) return [];
      return [{ type, id, label, baseline: othersMean(entry, 'baseline'), evaluation: othersMean(entry, 'evaluation') }];
    }),
  };
}

function othersMean(entry: ChangeEntry, round: 'baseline' | 'evaluation'): number | null {
  return entry.allOthers.compared ? entry.allOthers[round].mean : null;
}

function notCompared(reason: string): NoComparison {
  return { compared: false, reason };
}

function whichRounds(inBaseline: boolean, inEvaluation: boolean): string {
  if (inBaseline && inEvaluation) return 'both rounds';
  return inBaseline ? 'the baseline round' : 'the evaluation round';
}
