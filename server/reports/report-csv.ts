import { stringify } from 'csv-stringify/sync';
import type { NormPlacement } from '../../reports/index';
import type { ChangeReport, Comparison, CompetencyFigure, Figure, FigureBase, FigureSlots, ItemFigure, NoComparison, ReportModel } from '../../reports/types';

export type Cell = string | number | null;

/**
 * CSV as spreadsheets open it: a byte-order mark (so Excel reads UTF-8), CRLF line ends, quotes
 * where needed, numbers to six decimals, and no cell that a spreadsheet would run as a formula
 * (csv-stringify's escape_formulas prefixes a quote to =, +, -, @, tab and their full-width forms,
 * which some spreadsheets normalise to the ASCII ones).
 */
export function csvOf(header: string[], rows: Cell[][]): string {
  return stringify([header, ...rows], {
    bom: true,
    record_delimiter: '\r\n',
    escape_formulas: true,
    cast: { number: (value) => String(Number(value.toFixed(6))) },
  });
}

interface Row {
  level: 'competency' | 'item';
  /** The competency's or item's id: where its norm placement is looked up. */
  id: string;
  competency: string;
  item: string;
  group: string;
  figure: ItemFigure | CompetencyFigure;
  rwg: number | null;
  flag: string;
}

function shownFigures<T extends FigureBase>(slots: FigureSlots<T>): Array<{ group: string; figure: T }> {
  const all: Array<{ group: string; figure: Figure<T> }> = [
    { group: 'Self', figure: slots.self },
    { group: 'All others', figure: slots.allOthers },
    ...slots.groups.map((group) => ({ group: group.label, figure: group.figure })),
  ];
  return all.filter((entry): entry is { group: string; figure: T } => !entry.figure.withheld && entry.figure.n > 0);
}

/**
 * The report's shown aggregates, one row per competency or item and shown group. Withheld figures
 * have no row, exactly as on the page: the export obeys the same anonymity rule because it reads
 * the same model. There is no per-rater export. With `placements` (a practice norm chosen), the All
 * others rows also give their percentile in the norm and whether it reaches the top 10%.
 */
export function reportCsv(model: ReportModel, placements?: Record<string, NormPlacement>): string {
  const points = model.settings.scalePoints;
  const header = ['level', 'competency', 'item', 'group', 'n', 'n_na', 'mean', 'sd', ...Array.from({ length: points }, (_, index) => `answers_${index + 1}`), 'rwg', 'flag', ...(placements ? ['norm_percentile', 'norm_top'] : [])];
  const rows: Row[] = [];
  for (const competency of model.competencies) {
    for (const { group, figure } of shownFigures(competency)) {
      rows.push({ level: 'competency', id: competency.id, competency: competency.name, item: '', group, figure, rwg: null, flag: group === 'All others' && competency.finding ? competency.finding : '' });
    }
    for (const item of competency.items) {
      for (const { group, figure } of shownFigures(item)) {
        const isOthers = group === 'All others';
        const flags = [isOthers && item.finding ? item.finding : '', isOthers && item.agreement?.disagree ? 'raters-disagree' : ''].filter(Boolean);
        rows.push({ level: 'item', id: item.id, competency: competency.name, item: item.text, group, figure, rwg: isOthers ? (item.agreement?.rwg ?? null) : null, flag: flags.join(' ') });
      }
    }
  }
  return csvOf(
    header,
    rows.map((row) => {
      // A competency's figure is the mean of its item means: it has no N/A count, spread or distribution of its own.
      const item = 'distribution' in row.figure ? row.figure : null;
      const distribution = item ? item.distribution : Array<number | null>(points).fill(null);
      const placement = row.group === 'All others' ? placements?.[row.id] : undefined;
      const norm: Cell[] = placements ? [placement?.percentile ?? null, placement ? (placement.top ? 'yes' : 'no') : null] : [];
      return [row.level, row.competency, row.item, row.group, row.figure.n, item?.nNA ?? null, row.figure.mean, item?.sd ?? null, ...distribution, row.rwg, row.flag, ...norm];
    }),
  );
}

/** The change report as CSV: one row per competency or item and compared set of raters. */
export function changeCsv(report: ChangeReport): string {
  const header = ['level', 'label', 'focus', 'raters', 'baseline_mean', 'baseline_n', 'evaluation_mean', 'evaluation_n', 'difference', 'ci_lower', 'ci_upper', 'effect_size', 'verdict', 'note'];
  const lines: Cell[][] = [];
  for (const entry of [...report.competencies, ...report.items]) {
    const sets: Array<[string, Comparison | NoComparison]> = [['All others', entry.allOthers], ['Self', entry.self], ...entry.groups.map((group) => [group.label, group.comparison] as [string, Comparison | NoComparison])];
    for (const [raters, comparison] of sets) {
      const values: Cell[] = comparison.compared
        ? [comparison.baseline.mean, comparison.baseline.n, comparison.evaluation.mean, comparison.evaluation.n, comparison.difference, comparison.ci?.lower ?? null, comparison.ci?.upper ?? null, comparison.effectSize, comparison.verdict, comparison.reason]
        : [null, null, null, null, null, null, null, null, 'not-compared', comparison.reason];
      lines.push([entry.type, entry.label, entry.focus ? 'yes' : 'no', raters, ...values]);
    }
  }
  return csvOf(header, lines);
}
