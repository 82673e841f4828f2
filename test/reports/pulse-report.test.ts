import { describe, expect, it } from 'vitest';
import { buildPulseReport, type PulseInput, type PulseResponseInput } from '../../reports';
import { expectClose, groupFigure, shown, STANDARD_GROUPS } from './fixtures';

const pulse = (groupKey: string, ratings: Record<string, number | null>, comments: Record<string, string> = {}): PulseResponseInput => ({
  groupKey,
  ratings,
  comments,
});

function pulseInput(responses: PulseResponseInput[]): PulseInput {
  return {
    seed: 'pulse-1',
    groups: STANDARD_GROUPS,
    k: 3,
    focusAreas: [
      { id: 'f1', label: 'Delegating' },
      { id: 'f2', label: 'Listening' },
    ],
    invited: { self: 1, manager: 1, peers: 5, reports: 5, others: 5 },
    responses,
  };
}

describe('pulse report', () => {
  // manager 1 and peers 4 are shown; nobody else responded
  const report = buildPulseReport(
    pulseInput([
      pulse('self', { f1: 2, f2: 0 }, { f1: 'I delegate more now' }),
      pulse('manager', { f1: 1 }),
      pulse('peers', { f1: 2, f2: 1 }, { f1: 'Much better' }),
      pulse('peers', { f1: 0, f2: null }),
      pulse('peers', { f1: -1, f2: 4 }), // 4 is off the -3..+3 scale: N/A
      pulse('peers', { f1: 3, f2: -3 }, { f1: '  ' }),
    ]),
  );
  const f1 = report.focusAreas[0]!;
  const f2 = report.focusAreas[1]!;

  it('reports mean and shares of more / same / less per shown group and All others', () => {
    expect(report.shownGroupKeys).toEqual(['manager', 'peers']);
    // peers f1: 2, 0, -1, 3 -> mean 4/4 = 1; more 2/4, same 1/4, less 1/4; deviations 1,-1,-2,2 -> s^2 = 10/3
    const peers = shown(groupFigure(f1, 'peers'));
    expect(peers).toMatchObject({ n: 4, nNA: 0, mean: 1, shareMore: 0.5, shareSame: 0.25, shareLess: 0.25 });
    expectClose(peers.sd, Math.sqrt(10 / 3));
    // All others f1: manager 1 + peers -> 1,2,0,-1,3 -> mean 5/5 = 1; more 3/5, same 1/5, less 1/5
    expect(shown(f1.allOthers)).toMatchObject({ n: 5, mean: 1, shareMore: 0.6, shareSame: 0.2, shareLess: 0.2 });
    expect(shown(groupFigure(f1, 'manager'))).toMatchObject({ n: 1, mean: 1, shareMore: 1, shareSame: 0, shareLess: 0, sd: null });
    expect(f1.self).toMatchObject({ n: 1, mean: 2, shareMore: 1 });
  });

  it('applies the same anonymity rule: too few answers withhold the figures', () => {
    // f2: peers answered 1 and -3 only (N/A and an off-scale 4): 2 < 3 -> withheld, and All others too
    expect(groupFigure(f2, 'peers')).toEqual({ withheld: true, reason: 'too few answers on this focus area', cause: 'too-few-answers' });
    expect(f2.allOthers).toEqual({ withheld: true, reason: 'fewer than 3 anonymous raters answered this focus area', cause: 'anonymous-minimum' });
    expect(groupFigure(f2, 'manager')).toEqual({ withheld: true, reason: 'too few answers on this focus area', cause: 'too-few-answers' });
    expect(f2.self).toMatchObject({ n: 1, mean: 0, shareMore: 0, shareSame: 1, shareLess: 0 });
  });

  it('groups comments per focus area like a round report', () => {
    expect(report.comments.map((s) => [s.id, s.text])).toEqual([['f1', 'Delegating'], ['f2', 'Listening']]);
    expect(report.comments[0]!.blocks).toEqual([
      { source: 'self', groupKey: 'self', label: 'Self', withheld: false, comments: ['I delegate more now'] },
      { source: 'group', groupKey: 'peers', label: 'Peers', withheld: false, comments: ['Much better'] },
    ]);
    expect(report.comments[1]!.blocks).toEqual([]);
  });

  it('charts the means', () => {
    expect(report.charts.means).toEqual({
      labels: ['Delegating', 'Listening'],
      datasets: [
        { kind: 'self', groupKey: 'self', label: 'Self', data: [2, 0] },
        { kind: 'all-others', groupKey: null, label: 'All others', data: [1, null] },
        { kind: 'group', groupKey: 'manager', label: 'Manager', data: [1, null] },
        { kind: 'group', groupKey: 'peers', label: 'Peers', data: [1, null] },
      ],
    });
  });

  it("handles the example of docs/anonymity.md the same way as a round", () => {
    const design = buildPulseReport(
      pulseInput([pulse('manager', { f1: 1 }), pulse('peers', { f1: -2 }), pulse('reports', { f1: 2 }), pulse('reports', { f1: 2 }), pulse('reports', { f1: 3 })]),
    );
    expect(design.shownGroupKeys).toEqual(['manager']);
    // (1 - 2 + 2 + 2 + 3) / 5 = 6/5
    expectClose(shown(design.focusAreas[0]!.allOthers).mean, 1.2);
    expect(design.groups.find((g) => g.key === 'reports')!.status).toBe('merged');
  });

  it('round-trips through JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report);
  });
});
