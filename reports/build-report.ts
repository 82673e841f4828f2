/**
 * The report of one round: from a questionnaire snapshot, rater groups and responses to the report
 * model that the HTML page, the exports and the JSON API all render.
 */
import { aggregateFigures, summariseRatings } from './aggregation';
import { competencyFigures } from './competency-figures';
import { gapChart, itemDistributionCharts, meansChart } from './charts';
import { buildCommentSections } from './comments';
import {
  findingOf,
  gapFindings,
  gapOf,
  rankDevelopmentAreas,
  rankStrengths,
  raterAgreement,
  selfOtherAgreement,
} from './findings';
import { decideRoundGroups, keepKnownGroups, type RoundGroups } from './round-groups';
import { keyRaterValues } from './scores';
import type { Competency, CompetencyResult, Item, ItemResult, ReportInput, ReportModel, ReportSettings, ResponseInput } from './types';
import { resolveReportSettings } from './validation';

/**
 * Computes the report of one round. Pure: the same input always gives the same model.
 *
 * @example
 * const report = buildReport({
 *   seed: 'round-42',
 *   questionnaire, // 5-point scale
 *   groups: [
 *     { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
 *     { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false },
 *   ],
 *   k: 3,
 *   invited: { self: 1, peers: 4 },
 *   responses,
 * });
 * report.readiness.ready;               // true once 3 peers responded
 * report.competencies[0].allOthers;     // { withheld: false, n: 3, mean: 3.67, itemsAveraged: 4, itemCount: 4 }
 * report.strengths.map((s) => s.itemId);
 */
export function buildReport(input: ReportInput): ReportModel {
  const settings = resolveReportSettings(input);
  const { known: responses, notes } = keepKnownGroups(input.groups, input.responses);
  const round = decideRoundGroups(input.groups, settings.k, input.invited, responses);
  const competencies = input.questionnaire.competencies.map((competency) =>
    competencyResult(competency, responses, round, settings),
  );
  const strengths = rankStrengths(competencies);
  return {
    questionnaire: { name: input.questionnaire.name, description: input.questionnaire.description },
    settings,
    groups: round.summaries,
    shownGroupKeys: round.shown.map((group) => group.key),
    readiness: round.readiness,
    competencies,
    strengths,
    developmentAreas: rankDevelopmentAreas(competencies, strengths),
    ...gapFindings(competencies),
    comments: buildCommentSections(input.questionnaire.openQuestions, responses, round, input.seed),
    charts: {
      competencyOverview: meansChart(competencies.map((c) => ({ label: c.name, slots: c })), round),
      gap: gapChart(competencies),
      itemDistributions: itemDistributionCharts(competencies, round, settings.scaleLabels),
    },
    notes,
  };
}

function competencyResult(
  competency: Competency,
  responses: readonly ResponseInput[],
  round: RoundGroups,
  settings: ReportSettings,
): CompetencyResult {
  const items = competency.items.map((item) => itemResult(item, competency.id, responses, round, settings));
  const figures = competencyFigures(items, round);
  const gap = gapOf(figures.self, figures.allOthers);
  const othersMean = figures.allOthers.withheld ? null : figures.allOthers.mean;
  return {
    id: competency.id,
    name: competency.name,
    description: competency.description,
    ...figures,
    gap,
    finding: findingOf(gap, settings.tau),
    selfOtherAgreement: selfOtherAgreement(gap, othersMean, settings),
    items,
  };
}

function itemResult(
  item: Item,
  competencyId: string,
  responses: readonly ResponseInput[],
  round: RoundGroups,
  settings: ReportSettings,
): ItemResult {
  const values = keyRaterValues(responses, item.id, 1, settings.scalePoints);
  const figures = aggregateFigures(values, round, summariseRatings(settings.scalePoints), 'item');
  const gap = gapOf(figures.self, figures.allOthers);
  return {
    id: item.id,
    text: item.text,
    competencyId,
    ...figures,
    gap,
    finding: findingOf(gap, settings.tau),
    agreement: raterAgreement(figures.allOthers, settings.scalePoints),
  };
}
