import type { Figure, PulseFigure, PulseReport } from '../../reports/types';
import { formatGap } from '../reports/report-view';

/** The pulse report page: per focus area and shown set of raters, the mean and the shares. */
function figureRow(rater: string, figure: Figure<PulseFigure>) {
  if (figure.withheld) return { rater, withheld: true, reason: figure.reason };
  const share = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);
  return {
    rater,
    withheld: false,
    n: figure.n,
    mean: figure.n ? formatGap(figure.mean) : '–',
    more: share(figure.shareMore),
    same: share(figure.shareSame),
    less: share(figure.shareLess),
  };
}

export function pulseView(report: PulseReport) {
  return {
    ready: report.readiness.ready,
    readiness: report.readiness,
    groups: report.groups,
    focusAreas: report.focusAreas.map((focus) => ({
      id: focus.id,
      label: focus.label,
      rows: [figureRow('All others', focus.allOthers), ...focus.groups.map((group) => figureRow(group.label, group.figure)), { ...figureRow('Self', focus.self), self: true }],
    })),
    comments: report.comments.filter((section) => section.blocks.length > 0),
  };
}
