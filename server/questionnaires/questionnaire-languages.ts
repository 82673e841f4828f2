import { ConflictError } from '../errors';
import { text } from '../http/fields';
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import { TEXT_LIMITS, withTranslations, type QuestionnaireDefinition, type Translations } from './questionnaire-definition';

/**
 * The languages of a questionnaire. Its texts are written in one language (`definition.language`,
 * English for definitions older than languages), the source; each text may carry translations. A
 * language is *covered* when every text a rater reads has a translation into it: every scale
 * label, the "not able to rate" label, every competency name, every competency description the
 * source has, every item and every open question. The questionnaire's own name and description
 * are the coach's and are never translated (raters do not see them).
 *
 * Every text has a key, the same in the editor's fields and in the spreadsheet:
 * `scale.1` … `scale.7`, `scale.na`, `competency.<id>.name`, `competency.<id>.description`,
 * `item.<id>`, `question.<id>`.
 */

export type TextKind = 'scaleLabel' | 'naLabel' | 'competencyName' | 'competencyDescription' | 'item' | 'openQuestion';

export interface QuestionnaireText {
  key: string;
  kind: TextKind;
  /** Its place, counted from 1 among texts of its kind: the scale point, the competency, the item (through the whole questionnaire), the open question. */
  number: number;
  /** The text in the questionnaire's own language. */
  source: string;
  maxLength: number;
  /** Its translations that are there. */
  translations: Translations<string>;
}

/** What a page says is missing: "Item 12 “Shares information, resources and credit…”". */
export interface MissingText {
  language: Language;
  key: string;
  kind: TextKind;
  number: number;
  source: string;
  /** The source text cut to a few words, for a list. */
  excerpt: string;
}

export interface LanguageGap {
  language: Language;
  missing: MissingText[];
}

export function sourceLanguageOf(definition: QuestionnaireDefinition): Language {
  return definition.language ?? SOURCE_LANGUAGE;
}

/** Every translatable text of the questionnaire, in the order a rater meets them (scale first). */
export function questionnaireTexts(definition: QuestionnaireDefinition): QuestionnaireText[] {
  const texts: QuestionnaireText[] = [];
  const add = (key: string, kind: TextKind, number: number, source: string, translations: Translations<string>) =>
    texts.push({ key, kind, number, source, maxLength: TEXT_LIMITS[kind], translations });
  const pick = <T>(all: Translations<T> | undefined, read: (entry: T) => string | undefined): Translations<string> => {
    const picked: Translations<string> = {};
    for (const language of LANGUAGES) {
      const value = all?.[language] === undefined ? undefined : read(all[language]!);
      if (value) picked[language] = value;
    }
    return picked;
  };
  const { scale } = definition;
  scale.labels.forEach((label, index) => add(`scale.${index + 1}`, 'scaleLabel', index + 1, label, pick(scale.translations, (entry) => entry.labels?.[index])));
  add('scale.na', 'naLabel', 1, scale.naLabel, pick(scale.translations, (entry) => entry.naLabel));
  let itemNumber = 0;
  definition.competencies.forEach((competency, index) => {
    add(`competency.${competency.id}.name`, 'competencyName', index + 1, competency.name, pick(competency.translations, (entry) => entry.name));
    if (competency.description) {
      add(`competency.${competency.id}.description`, 'competencyDescription', index + 1, competency.description, pick(competency.translations, (entry) => entry.description));
    }
    for (const item of competency.items) {
      itemNumber += 1;
      add(`item.${item.id}`, 'item', itemNumber, item.text, pick(item.translations, (entry) => entry.text));
    }
  });
  definition.openQuestions.forEach((question, index) => add(`question.${question.id}`, 'openQuestion', index + 1, question.text, pick(question.translations, (entry) => entry.text)));
  return texts;
}

/** The first words of a text, cut at a word and ended with "…" when longer than `length`. */
export function excerpt(source: string, length = 48): string {
  if (source.length <= length) return source;
  const cut = source.slice(0, length);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > length / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/**
 * The texts that have no translation into `language`, in questionnaire order; none for the
 * questionnaire's own language.
 *
 * @example
 * missingTranslations(definition, 'de'); // [{ language: 'de', key: 'item.c5i3', kind: 'item', number: 23, excerpt: 'Shares information, resources and credit…', … }]
 */
export function missingTranslations(definition: QuestionnaireDefinition, language: Language): MissingText[] {
  if (language === sourceLanguageOf(definition)) return [];
  return questionnaireTexts(definition)
    .filter((entry) => !entry.translations[language])
    .map(({ key, kind, number, source }) => ({ language, key, kind, number, source, excerpt: excerpt(source) }));
}

/**
 * What keeps a round from being run in each of `languages`: one entry per language that is not
 * covered, with its missing texts; an empty list when every language is covered. This is the check
 * behind "a round can only be launched in languages its questionnaire fully covers".
 *
 * @example
 * missingForLanguages(leadership360, ['en', 'fr']); // []
 * missingForLanguages(draft, ['en', 'nl']);         // [{ language: 'nl', missing: [ …every text… ] }]
 */
export function missingForLanguages(definition: QuestionnaireDefinition, languages: readonly Language[]): LanguageGap[] {
  return [...new Set(languages)]
    .map((language) => ({ language, missing: missingTranslations(definition, language) }))
    .filter((gap) => gap.missing.length > 0);
}

/** The languages the questionnaire fully covers, its own first, then in the order of LANGUAGES. */
export function coveredLanguages(definition: QuestionnaireDefinition): Language[] {
  const own = sourceLanguageOf(definition);
  const texts = questionnaireTexts(definition);
  return [own, ...LANGUAGES.filter((language) => language !== own && texts.every((entry) => entry.translations[language]))];
}

/**
 * The questionnaire as a reader of `language` sees it: the same ids, scale points, order and
 * shape, with each text in that language and no translations left; `language` says which one.
 *
 * The rule for a text with no translation:
 * - by default (a survey, an email, a report of a round run in that language) every text must be
 *   there: a questionnaire that does not cover the language throws a ConflictError, because a
 *   rater must never read a question in a language they were not asked in. The launch rule
 *   (missingForLanguages) keeps this from happening to a round.
 * - with `fallBackToSource` (the coach's own pages: a preview, the translation editor) the text
 *   stays in the source language, and missingTranslations says which ones did.
 * The questionnaire's name and description stay as the coach wrote them.
 */
export function localizedQuestionnaire(definition: QuestionnaireDefinition, language: Language, options: { fallBackToSource?: boolean } = {}): QuestionnaireDefinition {
  if (!options.fallBackToSource) {
    const missing = missingTranslations(definition, language);
    if (missing.length) {
      throw new ConflictError(`"${definition.name}" is not fully translated into ${language}: ${missing.length} of its texts have no translation yet.`, { language, missing: missing.map((entry) => entry.key) });
    }
  }
  const inLanguage = (source: string, translations: Translations<string> | undefined) => translations?.[language] || source;
  const { scale } = definition;
  return {
    name: definition.name,
    description: definition.description,
    language,
    scale: {
      points: scale.points,
      labels: scale.labels.map((label, index) => scale.translations?.[language]?.labels?.[index] || label),
      naLabel: scale.translations?.[language]?.naLabel || scale.naLabel,
    },
    competencies: definition.competencies.map((competency) => ({
      id: competency.id,
      name: competency.translations?.[language]?.name || competency.name,
      description: competency.description && (competency.translations?.[language]?.description || competency.description),
      items: competency.items.map((item) => ({ id: item.id, text: inLanguage(item.text, textsOf(item.translations)) })),
    })),
    openQuestions: definition.openQuestions.map((question) => ({ id: question.id, text: inLanguage(question.text, textsOf(question.translations)) })),
  };
}

function textsOf(translations: Translations<{ text: string }> | undefined): Translations<string> {
  const texts: Translations<string> = {};
  for (const language of LANGUAGES) if (translations?.[language]?.text) texts[language] = translations[language].text;
  return texts;
}

/**
 * The definition with each text's translations replaced by `translate(text)`: the one place that
 * writes translations back into the shape (ids, scale and order untouched).
 */
export function mapTranslations(definition: QuestionnaireDefinition, translate: (entry: QuestionnaireText) => Translations<string>): QuestionnaireDefinition {
  const byKey = new Map(questionnaireTexts(definition).map((entry) => [entry.key, translate(entry)]));
  const of = (key: string): Translations<string> => byKey.get(key) ?? {};
  const perLanguage = <T>(build: (language: Language) => T | null): Translations<T> | undefined => {
    const result: Translations<T> = {};
    for (const language of LANGUAGES) {
      const value = build(language);
      if (value !== null) result[language] = value;
    }
    return Object.keys(result).length ? result : undefined;
  };
  const { scale } = definition;
  const labelKeys = scale.labels.map((_label, index) => `scale.${index + 1}`);
  return {
    ...definition,
    scale: withTranslations(
      { points: scale.points, labels: scale.labels, naLabel: scale.naLabel },
      perLanguage((language) => {
        const labels = labelKeys.map((key) => of(key)[language] ?? '');
        const naLabel = of('scale.na')[language];
        if (!labels.some(Boolean) && !naLabel) return null;
        return { ...(labels.some(Boolean) ? { labels } : {}), ...(naLabel ? { naLabel } : {}) };
      }),
    ),
    competencies: definition.competencies.map((competency) =>
      withTranslations(
        {
          id: competency.id,
          name: competency.name,
          description: competency.description,
          items: competency.items.map((item) =>
            withTranslations({ id: item.id, text: item.text }, perLanguage((language) => (of(`item.${item.id}`)[language] ? { text: of(`item.${item.id}`)[language]! } : null))),
          ),
        },
        perLanguage((language) => {
          const name = of(`competency.${competency.id}.name`)[language];
          const description = of(`competency.${competency.id}.description`)[language];
          return name || description ? { ...(name ? { name } : {}), ...(description ? { description } : {}) } : null;
        }),
      ),
    ),
    openQuestions: definition.openQuestions.map((question) =>
      withTranslations({ id: question.id, text: question.text }, perLanguage((language) => (of(`question.${question.id}`)[language] ? { text: of(`question.${question.id}`)[language]! } : null))),
    ),
  };
}

/** The definition with the texts given for `language` (by key) set, and those given empty removed; keys not given keep theirs. */
export function withLanguageTexts(definition: QuestionnaireDefinition, language: Language, texts: Record<string, string>): QuestionnaireDefinition {
  return mapTranslations(definition, (entry) => {
    if (!(entry.key in texts)) return entry.translations;
    const { [language]: _replaced, ...others } = entry.translations;
    return texts[entry.key] ? { ...others, [language]: texts[entry.key] } : others;
  });
}

/**
 * `next` (an edited questionnaire) with the translations `previous` had for every text whose
 * source did not change; a text reworded loses its translations, which translated the old
 * wording. `dropped` counts the texts that had some and lost them.
 */
export function carryTranslations(previous: QuestionnaireDefinition, next: QuestionnaireDefinition): { definition: QuestionnaireDefinition; dropped: number } {
  const before = new Map(questionnaireTexts(previous).map((entry) => [entry.key, entry]));
  let dropped = 0;
  const definition = mapTranslations(next, (entry) => {
    if (Object.keys(entry.translations).length) return entry.translations;
    const old = before.get(entry.key);
    if (!old || !Object.keys(old.translations).length) return {};
    if (old.source === entry.source) return old.translations;
    dropped += 1;
    return {};
  });
  return { definition, dropped };
}

/** Whether two definitions have the same texts in the same language, ids, scale and order (translations aside). */
export function sameSourceTexts(a: QuestionnaireDefinition, b: QuestionnaireDefinition): boolean {
  const sources = (definition: QuestionnaireDefinition) =>
    JSON.stringify([sourceLanguageOf(definition), definition.scale.points, questionnaireTexts(definition).map((entry) => [entry.key, entry.source])]);
  return sources(a) === sources(b);
}

export type TranslationProblem = { code: 'tooLong'; max: number } | { code: 'notAllowed' };

/** A translation as typed or imported: trimmed, or why it cannot be kept (the same rules as every text field). */
export function checkTranslation(raw: string, maxLength: number): { ok: true; value: string } | { ok: false; problem: TranslationProblem } {
  const parsed = text(maxLength).safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problem: raw.trim().length > maxLength ? { code: 'tooLong', max: maxLength } : { code: 'notAllowed' } };
}
