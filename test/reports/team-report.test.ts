import { describe, expect, it } from 'vitest';
import { buildTeamReport } from '../../reports';
import { teamLeader } from './fixtures';

describe('the team report', () => {
  // four leaders: i1 3, 4, 5, 4 (mean 4, sd sqrt(2/3)); i2 2, 2, 3, 1 (mean 2, sd sqrt(2/3)); self 5, 4, 5, 2 (mean 4)
  const team = [teamLeader('a', 3, 2, 5), teamLeader('b', 4, 2, 4), teamLeader('c', 5, 3, 5), teamLeader('d', 4, 1, 2)];

  it('gives each leader the same weight, with the spread between leaders (hand-computed)', () => {
    const report = buildTeamReport(team, { k: 3, tau: 1 });
    const [i1, i2] = report.competencies[0]!.items;
    // i1: (3 + 4 + 5 + 4) / 4 = 4; deviations -1, 0, 1, 0 -> s^2 = 2/3
    expect(i1!.others).toEqual({ withheld: false, mean: 4, leaders: 4, sd: Math.sqrt(2 / 3) });
    // i2: (2 + 2 + 3 + 1) / 4 = 2; deviations 0, 0, 1, -1 -> s^2 = 2/3
    expect(i2!.others).toEqual({ withheld: false, mean: 2, leaders: 4, sd: Math.sqrt(2 / 3) });
    // c1 per leader: 2.5, 3, 4, 2.5 -> mean 12/4 = 3; deviations -0.5, 0, 1, -0.5 -> s^2 = 1.5/3 = 0.5
    const c1 = report.competencies[0]!;
    expect(c1.others).toMatchObject({ mean: 3, leaders: 4 });
    if (c1.others.withheld) throw new Error('withheld');
    expect(c1.others.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    // self 5, 4, 5, 2 -> 4 on every item and the competency
    expect(c1.self).toMatchObject({ mean: 4 });
    // gaps: i1 4 - 4 = 0, i2 4 - 2 = 2 (a blind spot at tau 1), c1 4 - 3 = 1 (exactly tau: a blind spot)
    expect(report.blindSpots.map((b) => [b.type, b.id, b.gap])).toEqual([['item', 'i2', 2], ['competency', 'c1', 1]]);
    expect(report.hiddenStrengths).toEqual([]);
    expect(report.strengths.map((s) => [s.id, s.mean])).toEqual([['i1', 4], ['i2', 2]]);
    expect(report.developmentAreas).toEqual([]);
    expect(c1.released).toEqual([]);
  });

  it('shows a leader\'s own figures only when their report was released to them', () => {
    const report = buildTeamReport([teamLeader('a', 3, 2, 5, true), ...team.slice(1)], { k: 3, tau: 1 });
    expect(report.competencies[0]!.items[0]!.released).toEqual([{ leaderId: 'a', mean: 3 }]);
    // three unreleased leaders remain behind the team figure: it is shown
    expect(report.competencies[0]!.items[0]!.others.withheld).toBe(false);
  });

  it('withholds team figures that, less the released leaders, would show fewer than k unreleased leaders', () => {
    // a and b released: the team mean less their rows would give away c and d's sum
    const report = buildTeamReport([teamLeader('a', 3, 2, 5, true), teamLeader('b', 4, 2, 4, true), team[2]!, team[3]!], { k: 3, tau: 1 });
    const i1 = report.competencies[0]!.items[0]!;
    expect(i1.others).toEqual({ withheld: true, cause: 'few-unreleased', reason: "fewer than 3 of these leaders' reports are unreleased, so their figures could be worked out" });
    expect(i1.released).toEqual([{ leaderId: 'a', mean: 3 }, { leaderId: 'b', mean: 4 }]);
    // all released: nothing is hidden, the team figure is shown
    const open = buildTeamReport(team.map((l) => ({ ...l, released: true })), { k: 3, tau: 1 });
    expect(open.competencies[0]!.items[0]!.others.withheld).toBe(false);
  });
});
