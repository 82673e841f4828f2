import { describe, expect, it } from 'vitest';
import { buildTeamReport, findLeaderLeak, teamFootprint, type LeaderAggregate, type TeamLeader } from '../../reports';
import { seededRandom } from '../../reports/random';
import { normAuditorLeak } from './auditor';
import { teamLeader } from './fixtures';

/**
 * Team reports over time (docs/anonymity.md, rule 3, with leaders in place of raters): someone who
 * keeps every team report they were shown, and the own figures of the leaders a report showed by
 * name (those whose reports were released to them), must not be able to work out a leader whose
 * report was not released, whatever the coach added, removed or released in between.
 */
const K = 3;

const PEOPLE = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const FIGURES: Record<string, [number, number, number]> = { a: [3, 2, 5], b: [4, 2, 4], c: [5, 3, 5], d: [4, 1, 2], e: [2, 4, 3], f: [5, 5, 4], g: [1, 3, 2] };

function teamOf(members: readonly string[], released: ReadonlySet<string>): TeamLeader[] {
  return members.map((id) => teamLeader(id, ...FIGURES[id]!, released.has(id)));
}

function aggregate(footprint: Record<string, string[]>): LeaderAggregate {
  return { subjects: Object.fromEntries(Object.entries(footprint).map(([subject, leaderIds]) => [subject, { leaderIds }])) };
}

/** The coach's side, as server/teams does it: a team report is shown only when the check finds no leak beside those shown before. */
class Practice {
  readonly shown: Array<{ footprint: LeaderAggregate; releasedByName: string[]; leaders: TeamLeader[] }> = [];
  readonly released = new Set<string>();

  view(members: readonly string[]): { subject: string; leaders: string[] } | null {
    const leaders = teamOf(members, this.released);
    const candidate = aggregate(teamFootprint(leaders, K));
    const inReports = new Set([...this.shown.flatMap((report) => Object.values(report.footprint.subjects).flatMap((s) => s.leaderIds)), ...members]);
    // Every leader ever released who is in some team report: their own figures are (or may be) shown by name.
    const known = new Set([...this.released].filter((id) => inReports.has(id)));
    const leak = findLeaderLeak(this.shown.map((report) => report.footprint), candidate, K, known);
    if (!leak) this.shown.push({ footprint: candidate, releasedByName: members.filter((id) => this.released.has(id)), leaders });
    return leak;
  }
}

/** The auditor's verdict on everything shown: what the reports published, checked, then solved over. */
function audit(practice: Practice): string[] | null {
  for (const report of practice.shown) {
    // The footprint is what was published: each shown team figure is the mean of exactly those leaders' figures.
    const team = buildTeamReport(report.leaders, { k: K, tau: 1 });
    for (const competency of team.competencies) {
      for (const [id, entry] of [[competency.id, competency], ...competency.items.map((item) => [item.id, item] as const)] as const) {
        for (const [subject, figure, which] of [[id, entry.others, 'allOthers'], [`self:${id}`, entry.self, 'self']] as const) {
          const behind = report.footprint.subjects[subject]?.leaderIds;
          if (figure.withheld) {
            expect(behind).toBeUndefined();
            continue;
          }
          const values = behind!.map((leaderId) => {
            const own = report.leaders.find((candidate) => candidate.id === leaderId)!.report.competencies.find((c) => c.id === competency.id)!;
            const slot = id === competency.id ? own[which] : own.items.find((item) => item.id === id)![which];
            return slot.withheld ? Number.NaN : slot.mean!;
          });
          expect(figure.mean).toBeCloseTo(values.reduce((sum, value) => sum + value, 0) / values.length, 12);
        }
      }
    }
  }
  const known = new Set(practice.shown.flatMap((report) => report.releasedByName));
  return normAuditorLeak(practice.shown.map((report) => report.footprint), K, known);
}

describe('team reports across membership changes and releases', () => {
  it('refuses a team that differs from one shown before by a single unreleased leader', () => {
    const practice = new Practice();
    expect(practice.view(['a', 'b', 'c', 'd'])).toBeNull();
    // The case of the issue: 5 × mean₂ − 4 × mean₁ would be e's figures.
    expect(practice.view(['a', 'b', 'c', 'd', 'e'])).toEqual({ subject: 'c1', leaders: ['e'] });
    expect(practice.view(['a', 'b', 'c'])!.leaders).toEqual(['d']);
    // Three at once may join: no combination rests on fewer than three.
    expect(practice.view(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBeNull();
    // d, e, f, g: with the two before, (a..g) − (d..g) is a + b + c, and (a..d) minus that is d alone.
    expect(practice.view(['d', 'e', 'f', 'g'])!.leaders).toEqual(['d']);
    expect(practice.shown).toHaveLength(2);
    expect(audit(practice)).toBeNull();
  });

  it('refuses to show released leaders by name when that would leave fewer than k unreleased behind an earlier report', () => {
    const practice = new Practice();
    expect(practice.view(['a', 'b', 'c', 'd'])).toBeNull();
    practice.released.add('a');
    expect(practice.view(['a', 'b', 'c', 'd'])).toBeNull();
    practice.released.add('b');
    // The report would show b's own figures; the first one less a's and b's would give c + d.
    expect(practice.view(['a', 'b', 'c', 'd'])!.leaders.sort()).toEqual(['c', 'd']);
    practice.released.add('c');
    practice.released.add('d');
    expect(practice.view(['a', 'b', 'c', 'd'])).toBeNull();
    expect(audit(practice)).toBeNull();
  });

  /** 60 seeded histories of 8 steps: now and then a leader's report is released, then a random membership is shown through `show`. */
  function randomHistories(show: (practice: Practice, members: string[]) => void, verdict: (practice: Practice, history: number) => void): void {
    for (let history = 0; history < 60; history++) {
      const random = seededRandom(`team-history-${history}`);
      const practice = new Practice();
      for (let step = 0; step < 8; step++) {
        if (random() < 0.2) practice.released.add(PEOPLE[Math.floor(random() * PEOPLE.length)]!);
        const members = PEOPLE.filter(() => random() < 0.6);
        if (members.length) show(practice, members);
      }
      verdict(practice, history);
    }
  }

  it('lets nothing the auditor can solve through, over random histories of changes and releases', () => {
    let admitted = 0;
    let refused = 0;
    randomHistories(
      (practice, members) => {
        if (practice.view(members)) refused += 1;
        else admitted += 1;
      },
      (practice, history) => expect(audit(practice), `history ${history}`).toBeNull(),
    );
    // The histories exercise both outcomes.
    expect(refused).toBeGreaterThan(50);
    expect(admitted).toBeGreaterThan(100);
  });

  it('is the check that catches it: without it, the same histories leak', () => {
    let leaking = 0;
    randomHistories(
      (practice, members) => {
        const leaders = teamOf(members, practice.released);
        practice.shown.push({ footprint: aggregate(teamFootprint(leaders, K)), releasedByName: members.filter((id) => practice.released.has(id)), leaders });
      },
      (practice) => {
        if (audit(practice)) leaking += 1;
      },
    );
    expect(leaking).toBeGreaterThan(30);
  });
});
