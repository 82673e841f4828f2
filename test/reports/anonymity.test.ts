import { describe, expect, it } from 'vitest';
import { decideShownGroups, effectiveMinimum, type GroupTally } from '../../reports/anonymity';

const manager = (count: number, minimum = 1): GroupTally => ({ key: 'manager', anonymous: false, minimum, count });
const anonymous = (key: string, count: number, minimum = 3): GroupTally => ({ key, anonymous: true, minimum, count });

describe('effectiveMinimum', () => {
  it.each([
    { group: { anonymous: true, minimum: 2 }, k: 3, expected: 3 }, // never below k
    { group: { anonymous: true, minimum: 5 }, k: 3, expected: 5 }, // a higher minimum stands
    { group: { anonymous: false, minimum: 1 }, k: 3, expected: 1 }, // the manager counts from 1
    { group: { anonymous: false, minimum: 0 }, k: 3, expected: 1 }, // ...and never from 0
    { group: { anonymous: false, minimum: 2 }, k: 3, expected: 2 }, // a coach-set minimum stands
  ])('$group with k = $k -> $expected', ({ group, k, expected }) => {
    expect(effectiveMinimum(group, k)).toBe(expected);
  });
});

describe('decideShownGroups (k = 3)', () => {
  it.each([
    {
      name: "The example of docs/anonymity.md: manager 1, peers 1, direct reports 3",
      // S = {manager, reports}; R = 1 peer, 0 < 1 < 3 -> merge reports (only anonymous group in S); R = 4
      tallies: [manager(1), anonymous('peers', 1), anonymous('reports', 3)],
      expected: { shown: ['manager'], belowMinimum: ['peers'], merged: [{ key: 'reports', protects: ['peers'] }], anonymousTotal: 4, residualAnonymous: 4 },
    },
    {
      name: 'every group large enough',
      tallies: [manager(1), anonymous('peers', 3), anonymous('reports', 4)],
      expected: { shown: ['manager', 'peers', 'reports'], belowMinimum: [], merged: [], anonymousTotal: 7, residualAnonymous: 0 },
    },
    {
      name: 'residual already reaches k: peers 2 + others 1 = 3, nothing merged',
      tallies: [anonymous('peers', 2), anonymous('reports', 3), anonymous('others', 1)],
      expected: { shown: ['reports'], belowMinimum: ['peers', 'others'], merged: [], anonymousTotal: 6, residualAnonymous: 3 },
    },
    {
      name: 'tie between the smallest shown groups: the later one in display order is merged',
      // R = 1; peers 3 and reports 3 tie -> reports (later) merged; R = 4
      tallies: [anonymous('peers', 3), anonymous('reports', 3), anonymous('others', 1)],
      expected: { shown: ['peers'], belowMinimum: ['others'], merged: [{ key: 'reports', protects: ['others'] }], anonymousTotal: 7, residualAnonymous: 4 },
    },
    {
      name: 'the smallest shown group is merged, not the first',
      // R = 2; reports 5 > others 4 -> others merged; R = 6
      tallies: [anonymous('peers', 2), anonymous('reports', 5), anonymous('others', 4)],
      expected: { shown: ['reports'], belowMinimum: ['peers'], merged: [{ key: 'others', protects: ['peers'] }], anonymousTotal: 11, residualAnonymous: 6 },
    },
    {
      name: 'no anonymous group to merge: the manager stays, the residual stays below k',
      tallies: [manager(1), anonymous('peers', 2)],
      expected: { shown: ['manager'], belowMinimum: ['peers'], merged: [], anonymousTotal: 2, residualAnonymous: 2 },
    },
    {
      name: 'a not-anonymous group below a coach-set minimum of 2 is not shown, and is not anonymous residual',
      tallies: [manager(1, 2), anonymous('peers', 3)],
      expected: { shown: ['peers'], belowMinimum: ['manager'], merged: [], anonymousTotal: 3, residualAnonymous: 0 },
    },
    {
      name: 'nobody responded',
      tallies: [manager(0), anonymous('peers', 0)],
      expected: { shown: [], belowMinimum: ['manager', 'peers'], merged: [], anonymousTotal: 0, residualAnonymous: 0 },
    },
  ])('$name', ({ tallies, expected }) => {
    expect(decideShownGroups(tallies, 3)).toEqual(expected);
  });

  it('starts from the eligible groups: a group merged at round level stays merged and counts in the residual', () => {
    // reports is not eligible, so its 3 raters are residual from the start: R = 3, peers keeps its column
    const decision = decideShownGroups([anonymous('peers', 3), anonymous('reports', 3)], 3, ['peers']);
    expect(decision).toEqual({ shown: ['peers'], belowMinimum: [], merged: [], anonymousTotal: 6, residualAnonymous: 3 });
  });

  it('withdraws an eligible group that N/A answers pulled below its minimum, then protects it', () => {
    // per item: peers 2 of 3 answered (below), reports 3 -> R = 2 -> reports merged
    const decision = decideShownGroups([anonymous('peers', 2), anonymous('reports', 3)], 3, ['peers', 'reports']);
    expect(decision.shown).toEqual([]);
    expect(decision.merged).toEqual([{ key: 'reports', protects: ['peers'] }]);
    expect(decision.residualAnonymous).toBe(5);
  });
});
