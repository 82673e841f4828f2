import type { Figure, PulseFigure, PulseReport } from '../../reports/types';
import type { Translator } from '../i18n/translator';
import { groupLabel } from '../reports/report-language';
import { commentsView, formatGap, withheldReason } from '../reports/report-view';

/** The pulse report page: per focus area and shown set of raters, the mean and the shares, in the reader's language. */
function figureRow(rater: string, figure: Figure<PulseFigure>, k: number, translator: Translator) {
  if (figure.withheld) return { rater, withheld: true, reason: withheldReason(figure, k, translator) };
  const share = (value: number | null) => (value === null ? '–' : translator.t('engagement.list.ratePercent', { rate: Math.round(value * 100) }));
  return {
    rater,
    withheld: false,
    n: figure.n,
    mean: figure.n ? formatGap(figure.mean, translator.number) : '–',
    more: share(figure.shareMore),
    same: share(figure.shareSame),
    less: share(figure.shareLess),
  };
}

export function pulseView(report: PulseReport, translator: Translator) {
  const { k } = report.settings;
  return {
    ready: report.readiness.ready,
    readiness: report.readiness,
    groups: report.groups,
    focusAreas: report.focusAreas.map((focus) => ({
      id: focus.id,
      label: focus.label,
      rows: [
        figureRow(translator.t('report.column.allOthers'), focus.allOthers, k, translator),
        ...focus.groups.map((group) => figureRow(groupLabel(group.groupKey, group.label, translator), group.figure, k, translator)),
        { ...figureRow(translator.t('changePage.self'), focus.self, k, translator), self: true },
      ],
    })),
    comments: commentsView(report.comments, k, translator),
  };
}
