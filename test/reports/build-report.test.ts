import { describe, expect, it } from 'vitest';
import { buildReport, ReportInputError, type ReportModel, type ResponseInput } from '../../reports';
import { selfOtherAgreement } from '../../reports/findings';
import {
  expectClose,
  groupFigure,
  MANAGER,
  OTHERS,
  PEERS,
  questionnaire,
  raters,
  REPORTS,
  reportInput,
  response,
  SELF,
  shown,
} from './fixtures';

const competency = (report: ReportModel, id: string) => report.competencies.find((c) => c.id === id)!;
const item = (report: ReportModel, id: string) => report.competencies.flatMap((c) => c.items).find((i) => i.id === id)!;

describe('N/A answers', () => {
  // c1 = [i1, i2], groups self + peers, k = 3
  const report = buildReport(
    reportInput({
      groups: [SELF, PEERS],
      questionnaire: questionnaire({ c1: ['i1', 'i2'] }),
      responses: [
        response('self', { i1: null, i2: 4 }),
        response('peers', { i1: 4, i2: 3 }),
        response('peers', { i1: null, i2: 3 }),
        response('peers', { i1: 5, i2: 4 }),
        response('peers', { i2: 5 }), // i1 missing: N/A
        response('peers', { i1: 3, i2: null }),
      ],
    }),
  );

  it('are left out of means, counts, sds and distributions', () => {
    // i1: answered 4, 5, 3 -> n 3, N/A 2, mean 12/3 = 4, s^2 = (0 + 1 + 1)/2 = 1
    const i1 = item(report, 'i1');
    expect(shown(i1.allOthers)).toEqual({ withheld: false, n: 3, nNA: 2, mean: 4, sd: 1, distribution: [0, 0, 1, 1, 1] });
    expect(shown(groupFigure(i1, 'peers'))).toEqual(shown(i1.allOthers));
    // self answered N/A: shown as no answer, never as a number
    expect(i1.self).toEqual({ withheld: false, n: 0, nNA: 1, mean: null, sd: null, distribution: [0, 0, 0, 0, 0] });
    expect(i1.gap).toBeNull();
    expect(i1.finding).toBeNull();

    // i2: 3, 3, 4, 5 -> mean 15/4 = 3.75; SS = 0.5625*2 + 0.0625 + 1.5625 = 2.75; s^2 = 2.75/3; sd = 0.957427
    const i2 = shown(item(report, 'i2').allOthers);
    expect([i2.n, i2.nNA, i2.mean]).toEqual([4, 1, 3.75]);
    expectClose(i2.sd, 0.957427, 1e-6);
    expect(i2.distribution).toEqual([0, 0, 2, 1, 1]);
    expect(item(report, 'i2').gap).toBe(0.25); // self 4 - 3.75
  });

  it('enter a competency only through the item figures they answered', () => {
    // the competency figure is the mean of the item means (docs/anonymity.md, rule 4): others (4 + 3.75) / 2 = 3.875,
    // where a rater-weighted mean of raters' scores would give (3.5 + 3 + 4.5 + 5 + 3) / 5 = 3.8;
    // self answered 1 of 2 items, which is half and counts: 4
    const c1 = competency(report, 'c1');
    expect(c1.self).toEqual({ withheld: false, n: 1, mean: 4, itemsAveraged: 1, itemCount: 2 });
    expect(shown(c1.allOthers)).toEqual({ withheld: false, n: 4, mean: 3.875, itemsAveraged: 2, itemCount: 2 });
  });

  it('off-scale or fractional ratings are treated as N/A, never as numbers', () => {
    const odd = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        responses: [...raters('peers', 'i1', [4, 4, 4]), ...raters('peers', 'i1', [6, 2.5, 0])],
      }),
    );
    expect(shown(item(odd, 'i1').allOthers)).toEqual({ withheld: false, n: 3, nNA: 3, mean: 4, sd: 0, distribution: [0, 0, 0, 3, 0] });
  });
});

describe('half-of-items rule for competency figures', () => {
  // c4 = [a, b, c, d] (half = 2); c3 = [x, y, z] (half = 1.5, so 2 are needed). Peers per item:
  // a 4,5,3,1 (mean 13/4); b 2,5,3 (10/3); c 5 and d 5,3 and z 3,4: fewer than 3 answers, withheld;
  // x 2,5,1 (8/3); y 4,2,4 (10/3)
  const report = buildReport(
    reportInput({
      groups: [SELF, PEERS],
      questionnaire: questionnaire({ c4: ['a', 'b', 'c', 'd'], c3: ['x', 'y', 'z'] }),
      responses: [
        response('self', { a: 5, b: 4, x: 2, z: 5 }),
        response('peers', { a: 4, b: 2, x: 2, y: 4 }),
        response('peers', { a: 5, b: 5, c: 5, d: 5, x: 5 }),
        response('peers', { a: 3, b: 3, c: null, d: 3, x: 1, y: 2, z: 3 }),
        response('peers', { a: 1, y: 4, z: 4 }),
      ],
    }),
  );

  it('exactly half of the items with a figure counts (even number of items)', () => {
    // self: a 5, b 4 -> 4.5; others: a and b of 4 items -> (13/4 + 10/3) / 2 = 79/24, n = max(4, 3)
    expect(competency(report, 'c4').self).toEqual({ withheld: false, n: 1, mean: 4.5, itemsAveraged: 2, itemCount: 4 });
    const others = shown(competency(report, 'c4').allOthers);
    expect([others.n, others.itemsAveraged, others.itemCount]).toEqual([4, 2, 4]);
    expectClose(others.mean, 79 / 24);
  });

  it('with an odd number of items, more than half is needed', () => {
    // self: x 2, z 5 -> 3.5; others: x and y of 3 -> (8/3 + 10/3) / 2 = 3
    expect(competency(report, 'c3').self.mean).toBe(3.5);
    expect(shown(competency(report, 'c3').allOthers)).toEqual({ withheld: false, n: 3, mean: 3, itemsAveraged: 2, itemCount: 3 });
  });

  it('fewer than half withholds the competency figure', () => {
    const sparse = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        questionnaire: questionnaire({ c3: ['x', 'y', 'z'] }),
        responses: [response('self', { x: 4 }), ...raters('peers', 'x', [3, 4, 5])],
      }),
    );
    expect(competency(sparse, 'c3').allOthers.withheld).toBe(true);
    expect(competency(sparse, 'c3').self).toEqual({ withheld: false, n: 0, mean: null, itemsAveraged: 0, itemCount: 3 });
  });
});

describe('strengths and development areas', () => {
  // Three peers give the same rating, so the All others mean is that rating. gap = self - others.
  const others = { i1: 5, i2: 5, i3: 5, i4: 4, i5: 4, i6: 4, i7: 1, i8: 1, i9: 1, i10: 2, i11: 2, i12: 3 };
  const self = { i1: 5, i2: null, i3: 3, i4: 5, i5: 5, i6: 4, i7: 1, i8: null, i9: 3, i10: 4, i11: 4, i12: 3 };
  const report = buildReport(
    reportInput({
      groups: [SELF, PEERS],
      questionnaire: questionnaire({ c1: ['i1', 'i2', 'i3', 'i4', 'i5', 'i6'], c2: ['i7', 'i8', 'i9', 'i10', 'i11', 'i12'] }),
      responses: [response('self', self), response('peers', others), response('peers', others), response('peers', others)],
    }),
  );

  it('ranks by All others mean, then higher gap, no gap last, then questionnaire order', () => {
    // mean 5: i1 (gap 0), i3 (gap -2), i2 (no self answer: no gap) ; mean 4: i4 and i5 (gap 1 both: questionnaire order)
    // i6 (mean 4, gap 0) is 6th and falls off the list of 5.
    expect(report.strengths.map((s) => s.itemId)).toEqual(['i1', 'i3', 'i2', 'i4', 'i5']);
    expect(report.strengths[0]).toEqual({
      rank: 1, itemId: 'i1', itemText: 'Item i1', competencyId: 'c1', competencyName: 'C1', othersMean: 5, selfMean: 5, gap: 0,
    });
    expect(report.strengths[2]!.gap).toBeNull();
  });

  it('development areas: lowest mean, then lower gap, no gap last, then questionnaire order; strengths excluded', () => {
    // mean 1: i7 (gap 0), i9 (gap 2), i8 (no gap); mean 2: i10 and i11 (gap 2 both: questionnaire order)
    expect(report.developmentAreas.map((d) => d.itemId)).toEqual(['i7', 'i9', 'i8', 'i10', 'i11']);
    expect(report.developmentAreas.map((d) => d.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a short questionnaire splits its items rather than listing one twice', () => {
    const short = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        questionnaire: questionnaire({ c1: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }),
        responses: Array.from({ length: 3 }, () => response('peers', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 4, g: 3 })),
      }),
    );
    // highest: e 5, d 4, f 4, c 3, g 3 (ties in questionnaire order, no self gap); the rest: a 1, b 2
    expect(short.strengths.map((s) => s.itemId)).toEqual(['e', 'd', 'f', 'c', 'g']);
    expect(short.developmentAreas.map((d) => d.itemId)).toEqual(['a', 'b']);
  });

  it('blind spots are ordered by gap size, then questionnaire order; hidden strengths likewise', () => {
    // gaps >= 1: i9, i10, i11 (2), i4, i5 (1). Gaps <= -1: i3 (-2). Competencies: c1 self mean
    // (5+3+5+5+4)/5 = 4.4 vs others 4.5 (gap -0.1); c2 self (1+3+4+4+3)/5 = 3 vs others 10/6 -> gap 4/3
    expect(report.blindSpots.map((f) => `${f.type}:${f.id}`)).toEqual(['competency:c2', 'item:i9', 'item:i10', 'item:i11', 'item:i4', 'item:i5']);
    expectClose(report.blindSpots[0]!.gap, 3 - 10 / 6);
    expect(report.hiddenStrengths.map((f) => `${f.type}:${f.id}`)).toEqual(['item:i3']);
  });
});

describe('tau: exactly tau counts, just below does not', () => {
  // 5-point scale: tau = 1. Three peers per item; peer ratings listed per item.
  const peerRatings = [
    // ct: t1 others 4 vs self 5 (gap 1); t2 others 13/3 vs 5 (2/3); t3 others 4 vs 3 (-1); t4 others 11/3 vs 3 (-2/3)
    { t1: 4, t2: 4, t3: 4, t4: 3, b1: 1, b2: 2, b3: 2, h1: 2, h2: 3, h3: 3, l1: 1, l2: 2, l3: 2, m1: 3 },
    { t1: 4, t2: 4, t3: 4, t4: 4, b1: 1, b2: 2, b3: 2, h1: 2, h2: 3, h3: 3, l1: 1, l2: 2, l3: 2, m1: 3 },
    { t1: 4, t2: 5, t3: 4, t4: 4, b1: 1, b2: 2, b3: 2, h1: 2, h2: 3, h3: 3, l1: 1, l2: 2, l3: 3, m1: 3 },
  ];
  const self = { t1: 5, t2: 5, t3: 3, t4: 3, b1: 2, b2: 3, b3: 3, h1: 1, h2: 2, h3: 2, l1: 2, l2: 3, l3: 3, m1: 3 };
  const report = buildReport(
    reportInput({
      groups: [SELF, PEERS],
      questionnaire: questionnaire({
        ct: ['t1', 't2', 't3', 't4'],
        cb: ['b1', 'b2', 'b3'],
        ch: ['h1', 'h2', 'h3'],
        cl: ['l1', 'l2', 'l3'],
        cm: ['m1'],
      }),
      responses: [response('self', self), ...peerRatings.map((ratings) => response('peers', ratings))],
    }),
  );

  it.each([
    { id: 't1', gap: 1, finding: 'blind-spot' },
    { id: 't2', gap: 2 / 3, finding: null },
    { id: 't3', gap: -1, finding: 'hidden-strength' },
    { id: 't4', gap: -2 / 3, finding: null },
  ])('item $id: gap $gap -> $finding', ({ id, gap, finding }) => {
    expectClose(item(report, id).gap, gap);
    expect(item(report, id).finding).toBe(finding);
  });

  it('a competency gap of exactly tau that floating point puts a hair below still counts', () => {
    // cb: self (2+3+3)/3 = 8/3; each peer (1+2+2)/3 = 5/3; exact gap 1, computed 0.9999999999999998
    const cb = competency(report, 'cb');
    expect(cb.gap! < 1).toBe(true);
    expect(cb.finding).toBe('blind-spot');
    expect(cb.selfOtherAgreement).toBe('over-rater');
    // ch: mirror image: self 5/3, peers 8/3 each
    const ch = competency(report, 'ch');
    expect(-ch.gap! < 1).toBe(true);
    expect(ch.finding).toBe('hidden-strength');
    expect(ch.selfOtherAgreement).toBe('under-rater');
  });

  it('self-other agreement categories below tau', () => {
    // ct: self (5+5+3+3)/4 = 4; peers 15/4, 16/4, 17/4 -> 4; gap 0, others 4 = strength cut -> high
    expect(competency(report, 'ct').selfOtherAgreement).toBe('in-agreement-high');
    // cl: self 8/3; peers 5/3, 5/3, 6/3 -> 16/9; gap 8/9 < 1; others 1.78 < midpoint 3 -> low
    expectClose(competency(report, 'cl').gap, 8 / 9);
    expect(competency(report, 'cl').finding).toBeNull();
    expect(competency(report, 'cl').selfOtherAgreement).toBe('in-agreement-low');
    // cm: self 3, others 3 = midpoint (not below it) -> plain agreement
    expect(competency(report, 'cm').selfOtherAgreement).toBe('in-agreement');
  });

  it.each([
    { gap: null, others: 4, expected: null },
    { gap: 0.5, others: null, expected: null },
    { gap: 1, others: 3, expected: 'over-rater' },
    { gap: -1, others: 4.5, expected: 'under-rater' },
    { gap: 0.999, others: 4, expected: 'in-agreement-high' },
    { gap: 0, others: 3.999, expected: 'in-agreement' },
    { gap: 0, others: 2.999, expected: 'in-agreement-low' },
  ])('selfOtherAgreement(gap $gap, others $others) = $expected', ({ gap, others, expected }) => {
    expect(selfOtherAgreement(gap, others, { tau: 1, strengthCut: 4, midpoint: 3 })).toBe(expected);
  });

  it('a round may override tau', () => {
    const strict = buildReport({ ...reportInput({ groups: [SELF, PEERS], responses: [] }), tau: 0.5 });
    expect(strict.settings.tau).toBe(0.5);
    const lenient = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        tau: 2,
        responses: [response('self', { i1: 5 }), ...raters('peers', 'i1', [4, 4, 4])],
      }),
    );
    expect(item(lenient, 'i1').finding).toBeNull(); // gap 1 < tau 2
  });
});

describe('groups too small to be shown', () => {
  it('below-minimum groups are counted in All others, a group is merged to protect them, and the reasons say so', () => {
    // k = 3: manager 1, peers 2 (< 3), reports 3, others 0. S = {manager, reports}; R = 2 -> reports merged.
    const report = buildReport(
      reportInput({
        responses: [
          response('manager', { i1: 2 }),
          ...raters('peers', 'i1', [4, 5]),
          ...raters('reports', 'i1', [3, 3, 4]),
        ],
      }),
    );
    expect(report.groups.map((g) => g.reason)).toEqual([
      'Self: no self-assessment yet',
      'Manager: 1 response, shown on its own (not anonymous)',
      'Peers: 2 responses, fewer than the minimum of 3; counted in All others',
      'Direct reports: merged so that the Peers figures cannot be derived by subtraction; counted in All others',
      'Others: no responses yet',
    ]);
    expect(report.groups.map((g) => g.status)).toEqual(['self', 'shown', 'below-minimum', 'merged', 'no-responses']);
    expect(report.shownGroupKeys).toEqual(['manager']);
    // nothing dropped: (2 + 4 + 5 + 3 + 3 + 4) / 6 = 21/6 = 3.5
    const others = shown(item(report, 'i1').allOthers);
    expect([others.n, others.mean]).toEqual([6, 3.5]);
    expect(item(report, 'i1').groups.map((g) => g.groupKey)).toEqual(['manager']);
  });

  it('no merge when the residual already reaches k', () => {
    // peers 2 + others 1 = 3 anonymous raters in the residual; reports 3 keeps its column
    const report = buildReport(
      reportInput({
        responses: [...raters('peers', 'i1', [4, 5]), ...raters('others', 'i1', [1]), ...raters('reports', 'i1', [3, 3, 4])],
      }),
    );
    expect(report.shownGroupKeys).toEqual(['reports']);
    expect(report.groups.find((g) => g.key === 'others')!.reason).toBe('Others: 1 response, fewer than the minimum of 3; counted in All others');
    expect(shown(groupFigure(item(report, 'i1'), 'reports')).mean).toBeCloseTo(10 / 3, 12);
    expect(shown(item(report, 'i1').allOthers).n).toBe(6);
  });

  it('an anonymous group never uses a minimum below k; a higher minimum stands', () => {
    const report = buildReport(
      reportInput({
        groups: [SELF, { ...PEERS, minimum: 2 }, { ...REPORTS, minimum: 5 }],
        responses: [...raters('peers', 'i1', [4, 5]), ...raters('reports', 'i1', [3, 3, 4, 4])],
      }),
    );
    const peers = report.groups.find((g) => g.key === 'peers')!;
    const reports = report.groups.find((g) => g.key === 'reports')!;
    expect([peers.effectiveMinimum, peers.moreResponsesNeeded, peers.reason]).toEqual([3, 1, 'Peers: 2 responses, fewer than the minimum of 3; counted in All others']);
    expect([reports.effectiveMinimum, reports.moreResponsesNeeded, reports.reason]).toEqual([5, 1, 'Direct reports: 4 responses, fewer than the minimum of 5; counted in All others']);
    expect(report.shownGroupKeys).toEqual([]);
    expect(shown(item(report, 'i1').allOthers).n).toBe(6);
  });

  it('per item, N/A answers that pull a group below its minimum withhold it, and the loop protects it', () => {
    // peers 3 and reports 3 are both shown at round level (k = 3)
    const report = buildReport(
      reportInput({
        groups: [SELF, PEERS, REPORTS],
        questionnaire: questionnaire({ c1: ['i1', 'i2', 'i3', 'i4'] }),
        responses: [
          response('peers', { i1: 3, i2: 3, i3: 3, i4: null }),
          response('peers', { i1: 4, i2: 4, i3: 4, i4: null }),
          response('peers', { i1: 5, i2: null, i3: null, i4: 2 }),
          response('reports', { i1: 2, i2: 2, i3: 2, i4: null }),
          response('reports', { i1: 3, i2: 3, i3: null, i4: null }),
          response('reports', { i1: 4, i2: 4, i3: null, i4: 4 }),
        ],
      }),
    );
    expect(report.shownGroupKeys).toEqual(['peers', 'reports']);
    // i1: everyone answered. peers (3+4+5)/3 = 4; reports (2+3+4)/3 = 3; all (12+9)/6 = 3.5
    expect(item(report, 'i1').groups.map((g) => shown(g.figure).mean)).toEqual([4, 3]);
    expect(shown(item(report, 'i1').allOthers).mean).toBe(3.5);
    // i2: peers 2 answered (< 3) -> withheld; residual 2 -> reports merged -> withheld; all others (3+4+2+3+4)/5 = 3.2
    const withheld = { withheld: true, reason: 'too few answers on this item', cause: 'too-few-answers' };
    expect(item(report, 'i2').groups.map((g) => g.figure)).toEqual([withheld, withheld]);
    expect(shown(item(report, 'i2').allOthers)).toMatchObject({ n: 5, nNA: 1, mean: 3.2 });
    // i3: peers 2, reports 1 -> both withheld; residual 3 -> All others (3+4+2)/3 = 3 shown
    expect(item(report, 'i3').groups.map((g) => g.figure)).toEqual([withheld, withheld]);
    expect(shown(item(report, 'i3').allOthers)).toMatchObject({ n: 3, mean: 3 });
    // i4: 2 answers in all -> All others withheld too, and exposes nothing
    expect(item(report, 'i4').allOthers).toEqual({ withheld: true, reason: 'fewer than 3 anonymous raters answered this item', cause: 'anonymous-minimum' });
    expect(Object.keys(item(report, 'i4').allOthers).sort()).toEqual(['cause', 'reason', 'withheld']);
    expect(item(report, 'i4').agreement).toBeNull();
  });
});

describe("The example of docs/anonymity.md: k = 3, manager 1, peers 1, direct reports 3", () => {
  const report = buildReport(
    reportInput({
      responses: [
        response('self', { i1: 4 }),
        response('manager', { i1: 3 }),
        response('peers', { i1: 2 }),
        ...raters('reports', 'i1', [4, 4, 5]),
      ],
    }),
  );

  it('shows the manager and All others only, so the lone peer cannot be recovered', () => {
    expect(report.shownGroupKeys).toEqual(['manager']);
    const i1 = item(report, 'i1');
    expect(i1.groups.map((g) => g.groupKey)).toEqual(['manager']);
    expect(shown(groupFigure(i1, 'manager'))).toMatchObject({ n: 1, mean: 3 });
    // All others = (3 + 2 + 4 + 4 + 5) / 5 = 18/5; minus the manager leaves 4 anonymous raters together
    expect(shown(i1.allOthers)).toMatchObject({ n: 5, mean: 3.6, distribution: [0, 1, 1, 2, 1] });
    expect(report.charts.competencyOverview.datasets.map((d) => d.label)).toEqual(['Self', 'All others', 'Manager']);
  });

  it('explains the decision', () => {
    expect(report.groups.find((g) => g.key === 'reports')!.reason).toBe(
      'Direct reports: merged so that the Peers figures cannot be derived by subtraction; counted in All others',
    );
    expect(report.groups.find((g) => g.key === 'reports')!.moreResponsesNeeded).toBe(0);
    expect(report.groups.find((g) => g.key === 'peers')!.moreResponsesNeeded).toBe(2);
  });
});

describe('small rounds', () => {
  it('manager only: the manager is shown, All others is withheld, the round is not ready', () => {
    const report = buildReport(reportInput({ responses: [response('manager', { i1: 4 }, {})] }));
    const i1 = item(report, 'i1');
    expect(report.shownGroupKeys).toEqual(['manager']);
    expect(shown(groupFigure(i1, 'manager'))).toEqual({ withheld: false, n: 1, nNA: 0, mean: 4, sd: null, distribution: [0, 0, 0, 1, 0] });
    expect(i1.allOthers).toEqual({ withheld: true, reason: 'fewer than 3 anonymous raters answered this item', cause: 'anonymous-minimum' });
    expect(i1.self).toMatchObject({ n: 0, nNA: 0, mean: null });
    expect(report.readiness).toEqual({ ready: false, k: 3, nonSelfResponses: 1, anonymousResponses: 0, moreResponsesNeeded: 2 });
    expect(report.groups.map((g) => g.moreResponsesNeeded)).toEqual([1, 0, 3, 3, 3]);
    expect(report.strengths).toEqual([]);
    expect(report.developmentAreas).toEqual([]);
  });

  it('self only: the self figure alone', () => {
    const report = buildReport(reportInput({ responses: [response('self', { i1: 4 })] }));
    const i1 = item(report, 'i1');
    expect(i1.self).toMatchObject({ n: 1, mean: 4 });
    expect(i1.allOthers.withheld).toBe(true);
    expect(i1.groups).toEqual([]);
    expect(report.groups.map((g) => g.status)).toEqual(['self', 'no-responses', 'no-responses', 'no-responses', 'no-responses']);
    expect(report.readiness).toMatchObject({ ready: false, nonSelfResponses: 0, moreResponsesNeeded: 3 });
    expect(competency(report, 'c1').selfOtherAgreement).toBeNull();
    expect(report.charts.gap).toEqual({ labels: ['C1'], data: [null], markers: ['none'] });
  });

  it('zero responses: an empty but well-formed report', () => {
    const report = buildReport(reportInput({ questionnaire: questionnaire({ c1: ['i1'] }, { openQuestions: ['q1'] }), responses: [] }));
    expect(item(report, 'i1').self).toEqual({ withheld: false, n: 0, nNA: 0, mean: null, sd: null, distribution: [0, 0, 0, 0, 0] });
    expect(competency(report, 'c1').allOthers.withheld).toBe(true);
    expect(report.readiness).toEqual({ ready: false, k: 3, nonSelfResponses: 0, anonymousResponses: 0, moreResponsesNeeded: 3 });
    expect(report.comments).toEqual([{ id: 'q1', text: 'Question q1', blocks: [] }]);
    expect(report.charts.competencyOverview.datasets.map((d) => d.data)).toEqual([[null], [null]]);
    expect(report.blindSpots).toEqual([]);
  });

  it('ready once k non-self responses are in', () => {
    const report = buildReport(reportInput({ groups: [SELF, PEERS], responses: raters('peers', 'i1', [3, 4, 5]) }));
    expect(report.readiness).toEqual({ ready: true, k: 3, nonSelfResponses: 3, anonymousResponses: 3, moreResponsesNeeded: 0 });
  });
});

describe('scale sizes', () => {
  // Four peers; per K: i1 sits on the strength cut, i2 on the midpoint, i3 just below it, i4 is [1, 2, 3, N/A] (s^2 = 1)
  it.each([
    {
      points: 4, tau: 0.75, strengthCut: 3.25, midpoint: 2.5, uniform: 1.25, rwg: 0.2, disagree: true, // 1 - 1/1.25
      cut: [3, 3, 3, 4], mid: [2, 2, 3, 3], below: [2, 2, 2, 3], self: { i1: 3, i2: 3, i3: 2, i4: 2 }, // 13/4, 10/4, 9/4
    },
    {
      points: 5, tau: 1, strengthCut: 4, midpoint: 3, uniform: 2, rwg: 0.5, disagree: false, // 1 - 1/2, not below 0.5
      cut: [4, 4, 4, 4], mid: [3, 3, 3, 3], below: [2, 3, 3, 3], self: { i1: 4, i2: 3, i3: 3, i4: 2 }, // 4, 3, 11/4
    },
    {
      points: 7, tau: 1.5, strengthCut: 5.5, midpoint: 4, uniform: 4, rwg: 0.75, disagree: false, // 1 - 1/4
      cut: [5, 5, 6, 6], mid: [4, 4, 4, 4], below: [3, 4, 4, 4], self: { i1: 5, i2: 4, i3: 4, i4: 2 }, // 22/4, 4, 15/4
    },
  ])('K = $points', ({ points, tau, strengthCut, midpoint, uniform, rwg, disagree, cut, mid, below, self }) => {
    const spread = [1, 2, 3, null];
    const report = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        questionnaire: questionnaire({ cc: ['i1'], cm: ['i2'], cb: ['i3'], cr: ['i4'] }, { points }),
        responses: [
          response('self', self),
          ...[0, 1, 2, 3].map((j) => response('peers', { i1: cut[j]!, i2: mid[j]!, i3: below[j]!, i4: spread[j]! })),
        ],
      }),
    );
    expect(report.settings).toMatchObject({ scalePoints: points, tau, strengthCut, midpoint, uniformVariance: uniform, k: 3 });
    expect(report.settings.scaleLabels).toHaveLength(points);
    expect(competency(report, 'cc').selfOtherAgreement).toBe('in-agreement-high');
    expect(competency(report, 'cm').selfOtherAgreement).toBe('in-agreement');
    expect(competency(report, 'cb').selfOtherAgreement).toBe('in-agreement-low');
    const agreement = item(report, 'i4').agreement!;
    expect(agreement.sd).toBe(1);
    expectClose(agreement.rwg, rwg, 1e-12);
    expect(agreement.disagree).toBe(disagree);
    expect(shown(item(report, 'i4').allOthers).distribution).toHaveLength(points);
    expect(report.charts.itemDistributions[0]!.labels).toHaveLength(points);
  });

  it('rater agreement needs at least 3 answers', () => {
    const report = buildReport(reportInput({ groups: [SELF, PEERS], k: 2, responses: raters('peers', 'i1', [2, 5]) }));
    expect(shown(item(report, 'i1').allOthers).n).toBe(2);
    expect(item(report, 'i1').agreement).toBeNull();
  });

  it('flags disagreement', () => {
    // [1, 1, 5, 5]: mean 3, SS 16, s^2 = 16/3; r_wg = 1 - (16/3)/2 < 0 -> 0
    const report = buildReport(reportInput({ groups: [SELF, PEERS], responses: raters('peers', 'i1', [1, 1, 5, 5]) }));
    expect(item(report, 'i1').agreement).toEqual({ sd: Math.sqrt(16 / 3), rwg: 0, disagree: true });
  });
});

describe('comments', () => {
  const withComments = (groupKey: string, text: string, extra: Record<string, string> = {}): ResponseInput =>
    response(groupKey, { i1: 3 }, { q1: text, ...extra });
  const mixedRound = () =>
    reportInput({
      questionnaire: questionnaire({ c1: ['i1'] }, { openQuestions: ['q1', 'q2'] }),
      responses: [
        withComments('self', '  My own view  '),
        withComments('manager', 'Manager says'),
        withComments('peers', 'P-a'),
        withComments('peers', 'P-b', { q2: 'only peer on q2' }),
        withComments('peers', '   '),
        withComments('reports', 'R-a'),
        withComments('reports', 'R-b'),
        withComments('others', 'O-a'),
      ],
    });

  it('are trimmed, empty ones dropped, grouped only by groups shown on their own', () => {
    // peers 3 shown; reports 2 and others 1 below minimum, residual 3: pooled under All others
    const report = buildReport(mixedRound());
    const q1 = report.comments[0]!;
    expect(q1.blocks.map((b) => [b.source, b.label])).toEqual([
      ['self', 'Self'],
      ['group', 'Manager'],
      ['group', 'Peers'],
      ['all-others', 'All others'],
    ]);
    const texts = q1.blocks.map((b) => (b.withheld ? null : [...b.comments].sort()));
    expect(texts).toEqual([['My own view'], ['Manager says'], ['P-a', 'P-b'], ['O-a', 'R-a', 'R-b']]);
    // q2: only one comment, in the peers block; empty blocks are left out
    expect(report.comments[1]!.blocks).toEqual([
      { source: 'group', groupKey: 'peers', label: 'Peers', withheld: false, comments: ['only peer on q2'] },
    ]);
  });

  it('keep a stable order that does not follow the input order', () => {
    const texts = Array.from({ length: 12 }, (_, i) => `comment ${String(i + 1).padStart(2, '0')}`);
    const input = reportInput({
      groups: [SELF, PEERS],
      questionnaire: questionnaire({ c1: ['i1'] }, { openQuestions: ['q1'] }),
      responses: texts.map((text) => withComments('peers', text)),
    });
    const order = (report: ReportModel) => {
      const block = report.comments[0]!.blocks[0]!;
      return block.withheld ? [] : block.comments;
    };
    const first = order(buildReport(input));
    expect([...first].sort()).toEqual(texts);
    expect(first).not.toEqual(texts);
    expect(order(buildReport(input))).toEqual(first);
    // the submission order does not matter at all: reversed input, same order
    expect(order(buildReport({ ...input, responses: [...input.responses].reverse() }))).toEqual(first);
    // another round, another order
    expect(order(buildReport({ ...input, seed: 'round-2' }))).not.toEqual(first);
  });

  it('are withheld, with how many more responses are needed, when anonymous raters are fewer than k', () => {
    const report = buildReport(
      reportInput({
        questionnaire: questionnaire({ c1: ['i1'] }, { openQuestions: ['q1'] }),
        responses: [withComments('self', 'Mine'), withComments('manager', 'Boss'), withComments('peers', 'secret 1'), withComments('peers', 'secret 2')],
      }),
    );
    expect(report.comments[0]!.blocks).toEqual([
      { source: 'self', groupKey: 'self', label: 'Self', withheld: false, comments: ['Mine'] },
      { source: 'group', groupKey: 'manager', label: 'Manager', withheld: false, comments: ['Boss'] },
      {
        source: 'all-others',
        groupKey: null,
        label: 'All others',
        withheld: true,
        reason: 'Withheld until at least 3 anonymous raters have responded (1 more response needed)',
        moreResponsesNeeded: 1,
      },
    ]);
    expect(JSON.stringify(report)).not.toContain('secret');
  });
});

describe('report model', () => {
  it('round-trips through JSON', () => {
    const report = buildReport(
      reportInput({
        questionnaire: questionnaire({ c1: ['i1', 'i2'], c2: ['i3'] }, { openQuestions: ['q1'] }),
        responses: [
          response('self', { i1: 5, i2: 2, i3: null }, { q1: 'me' }),
          response('manager', { i1: 3, i2: 4, i3: 4 }, { q1: 'boss' }),
          ...[1, 2, 3, 4].map((j) => response('peers', { i1: j, i2: 5 - j, i3: 3 }, { q1: `peer ${j}` })),
          response('reports', { i1: 2 }),
        ],
      }),
    );
    expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report);
  });

  it('is the same for the same input', () => {
    const input = reportInput({ responses: [response('self', { i1: 4 }), ...raters('peers', 'i1', [3, 4, 5])] });
    expect(buildReport(input)).toStrictEqual(buildReport(input));
  });

  it('leaves out, and notes, responses of an unknown group', () => {
    const report = buildReport(reportInput({ groups: [SELF, PEERS], responses: [...raters('peers', 'i1', [3, 4, 5]), response('ghosts', { i1: 1 })] }));
    expect(report.notes).toEqual(['1 response from an unknown rater group was left out']);
    expect(shown(item(report, 'i1').allOthers).mean).toBe(4);
  });

  it.each([
    { name: 'no self group', change: { groups: [PEERS] }, message: 'exactly one self group is required, got 0' },
    { name: 'two self groups', change: { groups: [SELF, { ...SELF, key: 'self2' }] }, message: 'exactly one self group is required, got 2' },
    { name: 'duplicate group key', change: { groups: [SELF, PEERS, PEERS] }, message: 'duplicate group key "peers"' },
    { name: 'duplicate item id', change: { questionnaire: questionnaire({ c1: ['i1'], c2: ['i1'] }) }, message: 'duplicate item id "i1"' },
    {
      name: 'labels not matching points',
      change: { questionnaire: { ...questionnaire({ c1: ['i1'] }), scale: { points: 5, labels: ['a', 'b'], naLabel: 'N/A' } } },
      message: 'the scale has 5 points but 2 labels',
    },
    { name: 'k below 1', change: { k: 0 }, message: 'k must be a whole number of at least 1, got 0' },
    { name: 'tau not positive', change: { tau: 0 }, message: 'tau must be a positive number, got 0' },
  ])('rejects an impossible input: $name', ({ change, message }) => {
    const input = { ...reportInput({ groups: [SELF, MANAGER, PEERS, OTHERS], responses: [] }), ...change };
    expect(() => buildReport(input)).toThrow(ReportInputError);
    expect(() => buildReport(input)).toThrow(message);
  });

  it('defaults k to 3', () => {
    const { k: _k, ...withoutK } = reportInput({ responses: [] });
    expect(buildReport(withoutK).settings.k).toBe(3);
  });

  it('marks the gap chart bars', () => {
    const report = buildReport(
      reportInput({
        groups: [SELF, PEERS],
        questionnaire: questionnaire({ c1: ['i1'], c2: ['i2'], c3: ['i3'] }),
        responses: [
          response('self', { i1: 5, i2: 1, i3: 3 }),
          ...[0, 1, 2].map(() => response('peers', { i1: 3, i2: 3, i3: 3 })),
        ],
      }),
    );
    expect(report.charts.gap).toEqual({ labels: ['C1', 'C2', 'C3'], data: [2, -2, 0], markers: ['blind-spot', 'hidden-strength', 'none'] });
  });

  it('nulls withheld figures in the charts', () => {
    // STANDARD groups: peers 3 shown; i1 answered by 2 peers only -> peers and All others withheld
    const report = buildReport(reportInput({ responses: [...raters('peers', 'i1', [4, 5, null])] }));
    expect(report.charts.competencyOverview.datasets).toEqual([
      { kind: 'self', groupKey: 'self', label: 'Self', data: [null] },
      { kind: 'all-others', groupKey: null, label: 'All others', data: [null] },
      { kind: 'group', groupKey: 'peers', label: 'Peers', data: [null] },
    ]);
    expect(report.charts.itemDistributions[0]!.datasets[2]).toEqual({ kind: 'group', groupKey: 'peers', label: 'Peers', data: [null, null, null, null, null] });
  });
});
