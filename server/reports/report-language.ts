import type { ReportModel } from '../../reports/types';
import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import { localizedQuestionnaire } from '../questionnaires/questionnaire-languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { DEFAULT_GROUPS } from '../rounds/round-settings';

/**
 * The same report with the questionnaire's texts (competencies, items, open questions, scale) in
 * `language`, from the round's frozen questionnaire: one analysis, read in the client's language.
 * A text with no translation stays as the coach wrote it (the source language), unmarked: the
 * launch rule keeps a round's own languages complete, and a client's language may be another.
 * Figures, order and comments are untouched; comments are never marked with a language.
 */
export function reportInLanguage(model: ReportModel, snapshot: QuestionnaireDefinition | null, language: Language): ReportModel {
  if (!snapshot) return model;
  const localized = localizedQuestionnaire(snapshot, language, { fallBackToSource: true });
  const competencies = new Map(localized.competencies.map((competency) => [competency.id, competency]));
  const items = new Map(localized.competencies.flatMap((competency) => competency.items.map((item) => [item.id, item.text] as const)));
  const questions = new Map(localized.openQuestions.map((question) => [question.id, question.text]));
  const competencyName = (id: string, fallback: string) => competencies.get(id)?.name ?? fallback;
  const itemText = (id: string, fallback: string) => items.get(id) ?? fallback;
  const findingLabel = (finding: ReportModel['blindSpots'][number]) => ({ ...finding, label: finding.type === 'competency' ? competencyName(finding.id, finding.label) : itemText(finding.id, finding.label) });
  const names = model.competencies.map((competency) => competencyName(competency.id, competency.name));
  const sameScale = localized.scale.labels.length === model.settings.scaleLabels.length;
  return {
    ...model,
    settings: { ...model.settings, scaleLabels: sameScale ? localized.scale.labels : model.settings.scaleLabels, naLabel: localized.scale.naLabel },
    competencies: model.competencies.map((competency) => ({
      ...competency,
      name: competencyName(competency.id, competency.name),
      description: competencies.get(competency.id)?.description ?? competency.description,
      items: competency.items.map((item) => ({ ...item, text: itemText(item.id, item.text) })),
    })),
    strengths: model.strengths.map((item) => ({ ...item, itemText: itemText(item.itemId, item.itemText), competencyName: competencyName(item.competencyId, item.competencyName) })),
    developmentAreas: model.developmentAreas.map((item) => ({ ...item, itemText: itemText(item.itemId, item.itemText), competencyName: competencyName(item.competencyId, item.competencyName) })),
    blindSpots: model.blindSpots.map(findingLabel),
    hiddenStrengths: model.hiddenStrengths.map(findingLabel),
    comments: model.comments.map((section) => ({ ...section, text: questions.get(section.id) ?? section.text })),
    charts: {
      ...model.charts,
      // Both charts have a bar per competency, in the questionnaire's order.
      competencyOverview: { ...model.charts.competencyOverview, labels: model.charts.competencyOverview.labels.length === names.length ? names : model.charts.competencyOverview.labels },
      gap: { ...model.charts.gap, labels: model.charts.gap.labels.length === names.length ? names : model.charts.gap.labels },
      itemDistributions: model.charts.itemDistributions.map((chart) => ({ ...chart, itemText: itemText(chart.itemId, chart.itemText), labels: sameScale ? localized.scale.labels : chart.labels })),
    },
  };
}

const DEFAULT_LABELS = new Map(DEFAULT_GROUPS.map((group) => [group.key, group.label]));

/**
 * A rater group's name for the reader: the built-in name in their language, or the coach's own
 * name for the group as the coach wrote it (a renamed group has no translation).
 */
export function groupLabel(key: string | null, label: string, translator: Translator): string {
  if (key === null) return translator.t('report.column.allOthers');
  return DEFAULT_LABELS.get(key) === label ? translator.t(`report.group.${key}`) : label;
}
