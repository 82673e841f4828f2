import { TOP_PERCENTILE, type NormPlacement } from '../../reports/index';
import type { VersionWithLeaders } from './leaders.service';
import type { NormComparison, NormSummary, StoredNorm } from './norms.service';
import { shortVersion } from './questionnaire-version';

/** "1st", "2nd", "3rd", "4th", "11th", "22nd": a percentile as it is read aloud, rounded to a whole one. */
export function ordinal(value: number): string {
  const whole = Math.round(value);
  const lastTwo = whole % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][whole % 10] ?? 'th');
  return `${whole}${suffix}`;
}

/** A figure's place in a norm as a page shows it: "78th", marked when at or above the 90th. */
export function placementView(placement: NormPlacement | undefined) {
  if (!placement) return null;
  return { text: ordinal(placement.percentile), top: placement.top, average: placement.average.toFixed(2), leaders: placement.leaders };
}

export function normSummaryView(norm: NormSummary) {
  return { ...norm, versionCode: shortVersion(norm.questionnaireVersion) };
}

export function versionView(version: VersionWithLeaders, minimumLeaders: number) {
  return { ...version, versionCode: shortVersion(version.version), enough: version.leaders >= minimumLeaders, moreNeeded: Math.max(0, minimumLeaders - version.leaders) };
}

/** How many leaders stand behind a subject of the norm and their average; null when the norm did not take it. */
export function normSubjectFigure(stored: StoredNorm, id: string): { leaders: number; average: number } | null {
  const entry = stored.norm.subjects[id];
  return entry ? { leaders: entry.values.length, average: entry.values.reduce((sum, value) => sum + value, 0) / entry.values.length } : null;
}

/** A norm's page: per competency and item, how many leaders it holds and their average; never one leader's value. */
export function normPageView(stored: StoredNorm) {
  const subject = (id: string) => {
    const figure = normSubjectFigure(stored, id);
    return figure ? { inNorm: true, leaders: figure.leaders, average: figure.average } : { inNorm: false, leaders: null, average: null };
  };
  return {
    ...normSummaryView(stored),
    scalePoints: stored.structure.scalePoints,
    competencies: stored.structure.competencies.map((competency) => ({
      id: competency.id,
      name: competency.name,
      ...subject(competency.id),
      items: competency.items.map((item) => ({ id: item.id, text: item.text, ...subject(item.id) })),
    })),
  };
}

/** What the report page says about the norm its figures are placed in. */
export function comparisonView(comparison: NormComparison) {
  return { ...normSummaryView(comparison.norm), includesLeader: comparison.includesLeader };
}

/** A comparison as JSON (the report's download and the API): the norm, and each figure's placement by competency and item id. */
export function normJson(comparison: NormComparison) {
  const { norm } = comparison;
  return {
    id: norm.id,
    name: norm.name,
    questionnaireVersion: norm.questionnaireVersion,
    leaders: norm.leaders,
    createdAt: norm.createdAt,
    includesLeader: comparison.includesLeader,
    topPercentile: TOP_PERCENTILE,
    placements: comparison.placements,
  };
}
