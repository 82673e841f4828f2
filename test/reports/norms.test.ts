import { describe, expect, it } from 'vitest';
import { buildNorm, buildReport, findLeaderLeak, placeInNorm, type NormLeader } from '../../reports';
import { normAuditorLeak } from './auditor';
import { PEERS, questionnaire, raters, reportInput, SELF } from './fixtures';

/** A leader whose three peers all rate item i1 `value` (so All others on i1 is exactly `value`), and i2 one lower. */
function leader(id: string, value: number): NormLeader {
  const input = reportInput({
    groups: [SELF, PEERS],
    questionnaire: questionnaire({ c1: ['i1', 'i2'] }),
    responses: raters('peers', 'i1', [value, value, value]).map((response) => ({ ...response, ratings: { i1: value, i2: value - 1 } })),
  });
  return { id, report: buildReport(input) };
}

const values = [2, 3, 3, 3, 4, 4, 4, 4, 5, 5];
const practice = values.map((value, index) => leader(`L${index}`, value));

describe('practice norms', () => {
  it('exist only with the minimum number of leaders, each counted once', () => {
    expect(buildNorm(practice.slice(0, 9), 10)).toBeNull();
    expect(buildNorm([...practice.slice(0, 9), practice[0]!], 10)).toBeNull(); // a leader listed twice is one leader
    const norm = buildNorm(practice, 10)!;
    expect(norm.leaders).toBe(10);
    expect(norm.subjects.i1!.values).toEqual([2, 3, 3, 3, 4, 4, 4, 4, 5, 5]);
    // i2 is one lower everywhere; c1 is the mean of its items: value - 0.5
    expect(norm.subjects.i2!.values).toEqual([1, 2, 2, 2, 3, 3, 3, 3, 4, 4]);
    expect(norm.subjects.c1!.values).toEqual([1.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5, 4.5, 4.5]);
  });

  it('place a figure as a mid-rank percentile, hand-computed, and mark the top 10%', () => {
    const norm = buildNorm(practice, 10)!;
    // values 2 3 3 3 4 4 4 4 5 5 (average 37/10 = 3.7)
    // x = 4: 4 below, 4 level -> (4 + 2) / 10 = 60
    expect(placeInNorm(norm, 'i1', 4)).toEqual({ percentile: 60, top: false, average: 3.7, leaders: 10 });
    // x = 5: 8 below, 2 level -> (8 + 1) / 10 = 90: the top
    expect(placeInNorm(norm, 'i1', 5)).toMatchObject({ percentile: 90, top: true });
    // x = 4.5: 8 below, none level -> 80
    expect(placeInNorm(norm, 'i1', 4.5)!.percentile).toBe(80);
    // x = 1.9: nothing below -> 0; x = 6: all below -> 100
    expect(placeInNorm(norm, 'i1', 1.9)!.percentile).toBe(0);
    expect(placeInNorm(norm, 'i1', 6)!.percentile).toBe(100);
    expect(placeInNorm(norm, 'i9', 4)).toBeNull();
    expect(placeInNorm(norm, 'i1', null)).toBeNull();
  });

  it('leave out a subject that fewer than the minimum of leaders have a figure on', () => {
    const sparse = [...practice.slice(0, 9), { id: 'L9', report: buildReport(reportInput({ groups: [SELF, PEERS], questionnaire: questionnaire({ c1: ['i1', 'i2'] }), responses: raters('peers', 'i1', [4, 4, 4]) })) }];
    const norm = buildNorm(sparse, 10)!;
    expect(norm.subjects.i1!.values).toHaveLength(10);
    expect(norm.subjects.i2).toBeUndefined(); // nine leaders answered i2
  });
});

describe('norms across versions', () => {
  const eleven = [...practice, leader('L10', 3)];
  const thirteen = [...eleven, leader('L11', 4), leader('L12', 2)];
  const norm10 = buildNorm(practice, 10)!;

  it('a norm with one leader more than a visible one would give that leader away, and is refused', () => {
    const norm11 = buildNorm(eleven, 10)!;
    // the auditor: the averages of both norms give L10's value as 11 x avg11 - 10 x avg10
    expect(normAuditorLeak([norm10, norm11], 3)).toEqual(['L10']);
    expect(findLeaderLeak([norm10], norm11, 3)).toEqual({ subject: 'c1', leaders: ['L10'] });
  });

  it('three leaders more can be shown beside it: no combination rests on fewer than three', () => {
    const norm13 = buildNorm(thirteen, 10)!;
    expect(normAuditorLeak([norm10, norm13], 3)).toBeNull();
    expect(findLeaderLeak([norm10], norm13, 3)).toBeNull();
  });

  it('a norm that swaps one leader for another exposes the difference between the two, and is refused', () => {
    const swapped = buildNorm([...practice.slice(1), leader('L10', 3)], 10)!;
    expect(normAuditorLeak([norm10, swapped], 3)).not.toBeNull();
    expect(findLeaderLeak([norm10], swapped, 3)!.leaders.sort()).toEqual(['L0', 'L10']);
  });
});
