/**
 * Chart data: plain arrays, ready to be embedded in a page as JSON and handed to Chart.js. Withheld
 * or unanswered figures become null, which Chart.js draws as a gap.
 */
import { ALL_OTHERS_LABEL, type RoundGroups } from './round-groups';
import type {
  ChartData,
  ChartDataset,
  CompetencyResult,
  Figure,
  FigureBase,
  FigureSlots,
  GapChartData,
  ItemDistributionChart,
} from './types';

/** What identifies a series: self, All others or one shown group. */
type Series = Omit<ChartDataset, 'data'>;

/**
 * The series of a round's charts in order: self, All others, then each group shown on its own.
 *
 * @example
 * chartSeries(round).map((s) => s.label); // ['Self', 'All others', 'Manager', 'Peers']
 */
export function chartSeries(round: RoundGroups): Series[] {
  return [
    { kind: 'self', groupKey: round.self.key, label: round.self.label },
    { kind: 'all-others', groupKey: null, label: ALL_OTHERS_LABEL },
    ...round.shown.map((group): Series => ({ kind: 'group', groupKey: group.key, label: group.label })),
  ];
}

/**
 * Means per row (competency, pulse focus area), one dataset per series.
 *
 * @example
 * meansChart([{ label: 'Listening', slots: competency }], round);
 * // { labels: ['Listening'], datasets: [{ kind: 'self', label: 'Self', data: [4] }, { kind: 'all-others', ..., data: [3.6] }] }
 */
export function meansChart(rows: ReadonlyArray<{ label: string; slots: FigureSlots<FigureBase> }>, round: RoundGroups): ChartData {
  return {
    labels: rows.map((row) => row.label),
    datasets: chartSeries(round).map((series) => ({
      ...series,
      data: rows.map((row) => meanOf(figureOfSeries(row.slots, series))),
    })),
  };
}

/**
 * Self minus All others per competency, each bar marked as a blind spot, hidden strength or none.
 *
 * @example
 * gapChart(report.competencies); // { labels: ['Listening', 'Delegating'], data: [1, null], markers: ['blind-spot', 'none'] }
 */
export function gapChart(competencies: readonly CompetencyResult[]): GapChartData {
  return {
    labels: competencies.map((competency) => competency.name),
    data: competencies.map((competency) => competency.gap),
    markers: competencies.map((competency) => competency.finding ?? 'none'),
  };
}

/**
 * Answers per scale point of every item, one dataset per series; a withheld figure gives a row of
 * nulls so the chart shows nothing rather than zeros.
 *
 * @example
 * itemDistributionCharts(report.competencies, round, ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'])[0].datasets[1].data;
 * // [0, 1, 2, 3, 0]  (All others)
 */
export function itemDistributionCharts(
  competencies: readonly CompetencyResult[],
  round: RoundGroups,
  scaleLabels: readonly string[],
): ItemDistributionChart[] {
  return competencies.flatMap((competency) =>
    competency.items.map((item) => ({
      itemId: item.id,
      itemText: item.text,
      labels: [...scaleLabels],
      datasets: chartSeries(round).map((series) => {
        const figure = figureOfSeries(item, series);
        return { ...series, data: figure.withheld ? scaleLabels.map(() => null) : [...figure.distribution] };
      }),
    })),
  );
}

function meanOf(figure: Figure<FigureBase>): number | null {
  return figure.withheld ? null : figure.mean;
}

function figureOfSeries<T extends FigureBase>(slots: FigureSlots<T>, series: Series): Figure<T> {
  if (series.kind === 'self') return slots.self;
  if (series.kind === 'all-others') return slots.allOthers;
  return slots.groups.find((group) => group.groupKey === series.groupKey)!.figure;
}
