import { describe, expect, it } from 'vitest';
import {
  buildChangeReport,
  buildReport,
  ReportInputError,
  type ChangeEntry,
  type Comparison,
  type RaterGroup,
  type NoComparison,
  type ReportInput,
} from '../../reports';
import { expectClose, MANAGER, OTHERS, PEERS, questionnaire, raters, REPORTS, reportInput, response, SELF } from './fixtures';

/** A round in which the peers (the only raters) give `values` on item i1. */
function peersRound(values: number[], k = 3, peersMinimum = 3): ReportInput {
  return reportInput({ groups: [SELF, { ...PEERS, minimum: peersMinimum }], k, responses: raters('peers', 'i1', values) });
}

function compared(comparison: Comparison | NoComparison): Comparison {
  expect(comparison.compared).toBe(true);
  if (!comparison.compared) throw new Error(comparison.reason);
  return comparison;
}

const noFocus = { focus: [], ratersInBoth: 0 };

/** The change report between the reports of two rounds (as published: each round's own report). */
function changeOf(baseline: ReportInput, evaluation: ReportInput, options: Parameters<typeof buildChangeReport>[2]) {
  return buildChangeReport(buildReport(baseline), buildReport(evaluation), options);
}

describe('Welch comparison of All others on one item (t quantiles from a t table, tolerance 1e-3)', () => {
  it.each([
    {
      name: 'equal n, equal variances: improvement',
      // means 2 -> 4; s^2 = 0.5 both; se = sqrt(0.5/5 + 0.5/5) = 0.447214; df = 0.04 / (2 * 0.01/4) = 8
      // t(0.975, 8) = 2.306 -> margin 1.031275; pooled SD sqrt(0.5) -> effect 2 / 0.707107 = 2.828427
      before: [1, 2, 2, 2, 3], after: [3, 4, 4, 4, 5], k: 3,
      difference: 2, se: 0.447214, df: 8, t: 2.306, effect: 2.828427, verdict: 'reliable-improvement',
    },
    {
      name: 'equal n, equal variances: decline',
      before: [3, 4, 4, 4, 5], after: [1, 2, 2, 2, 3], k: 3,
      difference: -2, se: 0.447214, df: 8, t: 2.306, effect: -2.828427, verdict: 'reliable-decline',
    },
    {
      name: 'unequal n (3 vs 7)',
      // [1,2,3]: mean 2, s^2 1; [1,1,3,3,4,4,5]: mean 3, SS 4+4+0+0+1+1+4 = 14, s^2 = 14/6 = 7/3
      // a = 1/3, b = (7/3)/7 = 1/3; se = sqrt(2/3) = 0.816497; df = (2/3)^2 / ((1/3)^2/2 + (1/3)^2/6) = 6
      // t(0.975, 6) = 2.447; pooled SD = sqrt((2*1 + 6*7/3) / 8) = sqrt(2) -> effect 1/1.414214 = 0.707107
      before: [1, 2, 3], after: [1, 1, 3, 3, 4, 4, 5], k: 3,
      difference: 1, se: 0.816497, df: 6, t: 2.447, effect: 0.707107, verdict: 'no-reliable-change',
    },
    {
      name: 'unequal variances (1 vs 2)',
      // [1,2,3]: mean 2, s^2 1; [2,2,3,5]: mean 3, SS 1+1+0+4 = 6, s^2 2
      // a = 1/3, b = 2/4; se = sqrt(5/6) = 0.912871; df = (25/36) / ((1/9)/2 + (1/4)/3) = (25/36)/(5/36) = 5
      // t(0.975, 5) = 2.571; pooled SD = sqrt((2*1 + 3*2)/5) = sqrt(1.6) = 1.264911 -> effect 0.790569
      before: [1, 2, 3], after: [2, 2, 3, 5], k: 3,
      difference: 1, se: 0.912871, df: 5, t: 2.571, effect: 0.790569, verdict: 'no-reliable-change',
    },
    {
      name: 'n = 2 in each round (k = 2)',
      // [2,4] and [3,5]: s^2 2 both; se = sqrt(1 + 1) = 1.414214; df = 4 / (1 + 1) = 2
      // t(0.975, 2) = 4.303; pooled SD = sqrt((2 + 2)/2) = 1.414214 -> effect 0.707107
      before: [2, 4], after: [3, 5], k: 2,
      difference: 1, se: 1.414214, df: 2, t: 4.303, effect: 0.707107, verdict: 'no-reliable-change',
    },
    {
      name: 'zero variance in one round: df = n - 1 of the other',
      // [3,3,3] -> [3,4,5,4]: s2^2 = 2/3; se = sqrt((2/3)/4) = sqrt(1/6) = 0.408248; df = 3
      // t(0.975, 3) = 3.182; pooled SD = sqrt((0 + 3*2/3) / 5) = sqrt(0.4) = 0.632456 -> effect 1.581139
      before: [3, 3, 3], after: [3, 4, 5, 4], k: 3,
      difference: 1, se: 0.408248, df: 3, t: 3.182, effect: 1.581139, verdict: 'no-reliable-change',
    },
  ])('$name', ({ before, after, k, difference, se, df, t, effect, verdict }) => {
    const change = changeOf(peersRound(before, k, k), peersRound(after, k, k), noFocus);
    const c = compared(change.items[0]!.allOthers);
    expectClose(c.difference, difference, 1e-12);
    expectClose(c.ci!.se, se, 1e-6);
    expectClose(c.ci!.df, df, 1e-9);
    expectClose(c.ci!.lower, difference - t * se, 1e-3);
    expectClose(c.ci!.upper, difference + t * se, 1e-3);
    expect(c.ci!.level).toBe(0.95);
    expectClose(c.effectSize, effect, 1e-6);
    expect(c.verdict).toBe(verdict);
    expect(c.reason).toBeNull();
    // the peers column rests on the same raters, so it gives the same comparison
    expect(change.items[0]!.groups[0]!.comparison).toEqual(c);
  });

  it('unequal n with equal variances gives a fractional df, and a t between the table neighbours', () => {
    // [2,3,4] (s^2 1) -> [3,3,4,5,5] (mean 4, SS 1+1+0+1+1 = 4, s^2 1)
    // se^2 = 1/3 + 1/5 = 8/15; df = (8/15)^2 / ((1/3)^2/2 + (1/5)^2/4) = (64/225) / (118/1800) = 512/118 = 4.338983
    const c = compared(changeOf(peersRound([2, 3, 4]), peersRound([3, 3, 4, 5, 5]), noFocus).items[0]!.allOthers);
    expectClose(c.ci!.se, Math.sqrt(8 / 15), 1e-12);
    expectClose(c.ci!.df, 512 / 118, 1e-9);
    const t = (c.ci!.upper - c.difference) / c.ci!.se;
    expect(t).toBeGreaterThan(2.571); // t(0.975, 5)
    expect(t).toBeLessThan(2.776); // t(0.975, 4)
  });

  it('zero variance in both rounds: no interval, no effect size, no reliable change', () => {
    const c = compared(changeOf(peersRound([3, 3, 3]), peersRound([4, 4, 4]), noFocus).items[0]!.allOthers);
    expect(c).toEqual({
      compared: true,
      baseline: { mean: 3, n: 3, sd: 0 },
      evaluation: { mean: 4, n: 3, sd: 0 },
      difference: 1,
      ci: null,
      effectSize: null,
      verdict: 'no-reliable-change',
      reason: 'no variation in either round',
      itemsCompared: null,
    });
  });

  it('fewer than two raters: difference only (the manager)', () => {
    const round = (managerRating: number, peers: number[]) =>
      reportInput({ groups: [SELF, MANAGER, PEERS], responses: [response('manager', { i1: managerRating }), ...raters('peers', 'i1', peers)] });
    const change = changeOf(round(3, [3, 4, 5]), round(4, [3, 4, 5]), noFocus);
    expect(change.items[0]!.groups.find((g) => g.groupKey === 'manager')!.comparison).toEqual({
      compared: true,
      baseline: { mean: 3, n: 1, sd: null },
      evaluation: { mean: 4, n: 1, sd: null },
      difference: 1,
      ci: null,
      effectSize: null,
      verdict: 'no-reliable-change',
      reason: 'too few raters to estimate',
      itemsCompared: null,
    });
  });

  it('self is one rater: difference only', () => {
    const round = (self: number) => reportInput({ groups: [SELF, PEERS], responses: [response('self', { i1: self }), ...raters('peers', 'i1', [3, 4, 5])] });
    const c = compared(changeOf(round(3), round(5), noFocus).items[0]!.self);
    expect([c.difference, c.ci, c.effectSize, c.verdict, c.reason]).toEqual([2, null, null, 'no-reliable-change', 'the self-assessment is a single rater: difference only']);
  });

  it('a figure withheld in either round is not compared', () => {
    const change = changeOf(peersRound([3, 4]), peersRound([3, 4, 5]), noFocus);
    expect(change.items[0]!.allOthers).toEqual({ compared: false, reason: 'withheld in the baseline round' });
  });
});

describe('a whole change report', () => {
  // groups: self, peers, direct reports, others; k = 3
  const groups: RaterGroup[] = [SELF, PEERS, REPORTS, OTHERS];
  const q = questionnaire({ c1: ['i1', 'i2'], c2: ['a', 'b', 'c', 'd'] });
  const peerI1 = { before: [1, 2, 2, 2, 3], after: [3, 4, 4, 4, 5] };
  // Baseline: 5 peers, nobody else; everyone rates only item a of c2 (1 of 4: no competency score).
  const baseline = reportInput({
    groups,
    questionnaire: q,
    responses: [
      response('self', { i1: 3, i2: 4, a: 3 }),
      ...[0, 1, 2, 3, 4].map((j) => response('peers', { i1: peerI1.before[j]!, i2: peerI1.after[j]!, a: 2 })),
    ],
  });
  // Evaluation: 5 peers and 3 direct reports (who answer c2 only); c2 now has two items answered.
  const evaluation = reportInput({
    groups,
    questionnaire: q,
    seed: 'round-2',
    responses: [
      response('self', { i1: 5, i2: 4, a: 4, b: 4 }),
      ...[0, 1, 2, 3, 4].map((j) => response('peers', { i1: peerI1.after[j]!, i2: peerI1.before[j]!, a: 3, b: 4 })),
      ...[0, 1, 2].map(() => response('reports', { a: 4, b: 4 })),
    ],
  });
  const change = changeOf(baseline, evaluation, {
    focus: [
      { type: 'competency', id: 'c2' },
      { type: 'item', id: 'i1' },
      { type: 'item', id: 'zz' },
    ],
    ratersInBoth: 4,
  });
  const entry = (list: ChangeEntry[], id: string) => list.find((e) => e.id === id)!;

  it('puts focus areas first and flags them', () => {
    expect(change.competencies.map((e) => [e.id, e.focus])).toEqual([['c2', true], ['c1', false]]);
    expect(change.items.map((e) => [e.id, e.focus])).toEqual([['i1', true], ['i2', false], ['a', false], ['b', false], ['c', false], ['d', false]]);
    expect(change.focusAreas).toEqual([
      { type: 'competency', id: 'c2', label: 'C2', found: true },
      { type: 'item', id: 'i1', label: 'Item i1', found: true },
      { type: 'item', id: 'zz', label: 'zz', found: false },
    ]);
    expect(change.notes).toEqual(['Focus area item "zz" is in neither questionnaire']);
  });

  it('compares only groups shown on their own in both rounds, and echoes the counts', () => {
    expect(change.groups).toEqual([
      { key: 'self', label: 'Self', baseline: { invited: 1, completed: 1, status: 'self' }, evaluation: { invited: 1, completed: 1, status: 'self' }, compared: false },
      { key: 'peers', label: 'Peers', baseline: { invited: 5, completed: 5, status: 'shown' }, evaluation: { invited: 5, completed: 5, status: 'shown' }, compared: true },
      { key: 'reports', label: 'Direct reports', baseline: { invited: 5, completed: 0, status: 'no-responses' }, evaluation: { invited: 5, completed: 3, status: 'shown' }, compared: false },
      { key: 'others', label: 'Others', baseline: { invited: 5, completed: 0, status: 'no-responses' }, evaluation: { invited: 5, completed: 0, status: 'no-responses' }, compared: false },
    ]);
    expect(entry(change.items, 'i1').groups.map((g) => g.groupKey)).toEqual(['peers']);
    expect(change.ratersInBoth).toBe(4);
  });

  it('a competency with fewer than half of its items compared (only item a in the baseline) is not compared', () => {
    const c2 = entry(change.competencies, 'c2');
    expect(c2.comparable).toBe(true);
    expect(c2.allOthers).toEqual({ compared: false, reason: 'fewer than half of its items could be compared' });
    expect(c2.self).toEqual({ compared: false, reason: 'fewer than half of its items could be compared' });
  });

  it('c1: derived from its items, which moved in opposite directions (i1 +2, i2 -2)', () => {
    // means of the item means: baseline (2 + 4) / 2 = 3, evaluation (4 + 2) / 2 = 3 -> difference 0.
    // Each item: se = sqrt(0.5/5 + 0.5/5) = 0.447214, df 8, pooled SD sqrt(0.5). The competency's
    // se is their average, 0.447214; df the smallest, 8; t(0.975, 8) = 2.306 -> +-1.031275; effect 0 / 0.707107 = 0
    const c = compared(entry(change.competencies, 'c1').allOthers);
    expect([c.baseline, c.evaluation, c.difference, c.verdict, c.itemsCompared]).toEqual([
      { mean: 3, n: 5, sd: null },
      { mean: 3, n: 5, sd: null },
      0,
      'no-reliable-change',
      2,
    ]);
    expectClose(c.ci!.se, 0.447214, 1e-6);
    expect(c.ci!.df).toBe(8);
    expectClose(c.ci!.lower, -2.306 * 0.447214, 1e-3);
    expectClose(c.ci!.upper, 2.306 * 0.447214, 1e-3);
    expect(c.effectSize).toBe(0);
  });

  it('summarises what changed among focus areas and elsewhere', () => {
    expect(change.summary.focus.improvements.map((h) => h.id)).toEqual(['i1']);
    const i1 = change.summary.focus.improvements[0]!;
    expect([i1.baselineMean, i1.evaluationMean, i1.difference]).toEqual([2, 4, 2]);
    expectClose(i1.ciLower, 2 - 2.306 * Math.sqrt(0.2), 1e-3);
    expect(change.summary.focus.declines).toEqual([]);
    expect(change.summary.focus.noReliableChange).toEqual([]);
    expect(change.summary.focus.notCompared).toEqual([
      { type: 'competency', id: 'c2', label: 'C2', reason: 'fewer than half of its items could be compared' },
      { type: 'item', id: 'zz', label: 'zz', reason: 'not in the questionnaire of either round' },
    ]);
    // item a: baseline five 2s (mean 2, sd 0); evaluation 3,3,3,3,3 (peers) and 4,4,4 (reports): mean 27/8 = 3.375,
    // SS = 5 * 0.375^2 + 3 * 0.625^2 = 1.875, s^2 = 1.875/7 = 0.267857; se = sqrt(0.267857/8) = 0.182981;
    // df = n2 - 1 = 7 (zero variance in the baseline); t(0.975, 7) = 2.365 -> 1.375 +- 0.432750
    expect(change.summary.other.improvements.map((h) => h.id)).toEqual(['a']);
    const a = change.summary.other.improvements[0]!;
    expect([a.baselineMean, a.evaluationMean, a.difference]).toEqual([2, 3.375, 1.375]);
    expectClose(a.ciLower, 0.94225, 1e-3);
    expectClose(a.ciUpper, 1.80775, 1e-3);
    expect(change.summary.other.declines.map((h) => h.id)).toEqual(['i2']); // mirror image of i1
  });

  it('gives chart data for All others before and after', () => {
    expect(change.charts.competencies).toEqual({
      labels: ['C2', 'C1'],
      datasets: [
        { key: 'baseline', label: 'Baseline', data: [null, 3] },
        { key: 'evaluation', label: 'Evaluation', data: [null, 3] },
      ],
    });
    expect(change.charts.focusAreas).toEqual([
      { type: 'competency', id: 'c2', label: 'C2', baseline: null, evaluation: null },
      { type: 'item', id: 'i1', label: 'Item i1', baseline: 2, evaluation: 4 },
    ]);
  });

  it('round-trips through JSON', () => {
    expect(JSON.parse(JSON.stringify(change))).toStrictEqual(change);
  });
});

describe('questionnaire differences', () => {
  it('reports an item missing in one round as not comparable', () => {
    const before = reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1', 'i2'] }), responses: raters('peers', 'i1', [3, 4, 5]) });
    const after = reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1', 'i3'] }), responses: raters('peers', 'i1', [3, 4, 5]) });
    const change = changeOf(before, after, noFocus);
    expect(change.items.map((e) => [e.id, e.comparable, e.reason])).toEqual([
      ['i1', true, null],
      ['i3', false, 'not in the baseline questionnaire'],
      ['i2', false, 'not in the evaluation questionnaire'],
    ]);
    expect(change.items[2]!.allOthers).toEqual({ compared: false, reason: 'not in the evaluation questionnaire' });
  });

  it('refuses rounds on different scales', () => {
    const before = reportInput({ responses: [] });
    const after = reportInput({ questionnaire: questionnaire({ c1: ['i1'] }, { points: 7 }), responses: [] });
    expect(() => changeOf(before, after, noFocus)).toThrow(ReportInputError);
  });
});
