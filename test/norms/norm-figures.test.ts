import { describe, expect, it } from 'vitest';
import { buildNorm, buildNormFromFigures, buildReport, normFigures } from '../../reports';
import { PEERS, questionnaire, raters, reportInput, SELF } from '../reports/fixtures';

describe('a norm built from leaders\' figures, one leader at a time', () => {
  it('takes the shown All others means of every item and competency, and leaves withheld ones out', () => {
    // Three peers answer i1 with 2, 3 and 4 (mean 3) and i2 with 5 each (mean 5): c1 = (3 + 5) / 2 = 4.
    const responses = raters('peers', 'i1', [2, 3, 4]).map((response) => ({ ...response, ratings: { ...response.ratings, i2: 5 } }));
    const leader = { id: 'L1', report: buildReport(reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1', 'i2'] }), responses })) };
    expect(normFigures(leader)).toEqual({ id: 'L1', figures: { c1: 4, i1: 3, i2: 5 } });
    // Two peers only: every All others figure is withheld (k = 3), so the leader brings nothing.
    const thin = { id: 'L2', report: buildReport(reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1', 'i2'] }), responses: raters('peers', 'i1', [2, 3]) })) };
    expect(normFigures(thin)).toEqual({ id: 'L2', figures: {} });
  });

  it('gives the same norm as buildNorm, hand-computed: values ascending, leaders once, thin subjects left out', () => {
    const leaders: { id: string; figures: Record<string, number> }[] = [
      { id: 'c', figures: { i1: 4, i2: 1 } },
      { id: 'a', figures: { i1: 2, i2: 3 } },
      { id: 'b', figures: { i1: 3 } },
      { id: 'a', figures: { i1: 2, i2: 3 } },
    ];
    // Three leaders (a is listed twice); i2 has two values, fewer than the minimum of 3.
    expect(buildNormFromFigures(leaders, 3)).toEqual({ leaders: 3, subjects: { i1: { values: [2, 3, 4], leaderIds: ['a', 'b', 'c'] } } });
    expect(buildNormFromFigures(leaders, 4)).toBeNull();
    const report = (value: number) => buildReport(reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1'] }), responses: raters('peers', 'i1', [value, value, value]) }));
    const reports = [2, 5, 3].map((value, index) => ({ id: `L${index}`, report: report(value) }));
    expect(buildNormFromFigures(reports.map(normFigures), 3)).toEqual(buildNorm(reports, 3));
    expect(buildNorm(reports, 3)!.subjects.i1!.values).toEqual([2, 3, 5]);
  });
});
