import type { Language } from '../i18n/languages';
import type { QuestionnaireDefinition } from './questionnaire-definition';
import { checkTranslation, questionnaireTexts, type QuestionnaireText, type TextKind, type TranslationProblem } from './questionnaire-languages';

/**
 * The translation editor: every text of the questionnaire beside its source text, for one
 * language at a time, in one plain form (it works without JavaScript). Each field is named by the
 * text's key (`item.c1i1`), as in the spreadsheet.
 */
export interface TranslationRow {
  key: string;
  kind: TextKind;
  number: number;
  source: string;
  value: string;
  maxLength: number;
  problem?: TranslationProblem;
}

export interface TranslationSection {
  /** `scale`, `competency` (with its number and source name) or `openQuestions`. */
  kind: 'scale' | 'competency' | 'openQuestions';
  number?: number;
  title?: string;
  rows: TranslationRow[];
}

export interface TranslationForm {
  texts: Record<string, string>;
  values: Record<string, string>;
  problems: Record<string, TranslationProblem>;
}

/** The posted translations of every text of the definition (fields of other keys are ignored), checked. */
export function readTranslationForm(body: Record<string, unknown>, definition: QuestionnaireDefinition): TranslationForm {
  const form: TranslationForm = { texts: {}, values: {}, problems: {} };
  for (const text of questionnaireTexts(definition)) {
    const raw = body[text.key];
    if (typeof raw !== 'string') continue;
    form.values[text.key] = raw;
    const checked = checkTranslation(raw, text.maxLength);
    if (checked.ok) form.texts[text.key] = checked.value;
    else form.problems[text.key] = checked.problem;
  }
  return form;
}

/** The editor's sections for `language`: the stored translations, or what was posted when it is shown again. */
export function translationSections(definition: QuestionnaireDefinition, language: Language, posted?: TranslationForm): TranslationSection[] {
  const row = (text: QuestionnaireText): TranslationRow => ({
    key: text.key,
    kind: text.kind,
    number: text.number,
    source: text.source,
    value: posted?.values[text.key] ?? text.translations[language] ?? '',
    maxLength: text.maxLength,
    ...(posted?.problems[text.key] ? { problem: posted.problems[text.key] } : {}),
  });
  const texts = questionnaireTexts(definition);
  const sections: TranslationSection[] = [{ kind: 'scale', rows: texts.filter((text) => text.kind === 'scaleLabel' || text.kind === 'naLabel').map(row) }];
  for (const [index, competency] of definition.competencies.entries()) {
    const keys = new Set([`competency.${competency.id}.name`, `competency.${competency.id}.description`, ...competency.items.map((item) => `item.${item.id}`)]);
    sections.push({ kind: 'competency', number: index + 1, title: competency.name, rows: texts.filter((text) => keys.has(text.key)).map(row) });
  }
  const questions = texts.filter((text) => text.kind === 'openQuestion');
  if (questions.length) sections.push({ kind: 'openQuestions', rows: questions.map(row) });
  return sections;
}
