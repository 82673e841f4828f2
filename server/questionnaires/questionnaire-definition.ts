import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { requiredText, text } from '../http/fields';
import { LANGUAGES, LANGUAGE_NAMES, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import type { Competency, Item, OpenQuestion, QuestionnaireSnapshot, Scale } from '../../reports/types';

/**
 * The import/export format. Version 1 grew, compatibly, an optional `language` (the one the texts
 * are written in; English when absent) and optional `translations` beside each text; an older
 * installation reading a newer document ignores both and keeps the source texts.
 */
export const QUESTIONNAIRE_FORMAT = 'threesixty.questionnaire/v1';

export const LIMITS = {
  competencies: 30,
  itemsPerCompetency: 30,
  openQuestions: 10,
};

/** The longest each text may be, in its own language and in every translation. */
export const TEXT_LIMITS = {
  scaleLabel: 60,
  naLabel: 60,
  competencyName: 200,
  competencyDescription: 1000,
  item: 500,
  openQuestion: 500,
};

/** Texts in other languages, by language; a text not translated yet is absent (or empty on input). */
export type Translations<T> = Partial<Record<Language, T>>;

export interface TranslatedScale extends Scale {
  /** `labels` has one entry per point, '' where that point is not translated yet. */
  translations?: Translations<{ labels?: string[]; naLabel?: string }>;
}
export interface TranslatedItem extends Item {
  translations?: Translations<{ text: string }>;
}
export interface TranslatedCompetency extends Competency {
  items: TranslatedItem[];
  translations?: Translations<{ name?: string; description?: string }>;
}
export interface TranslatedOpenQuestion extends OpenQuestion {
  translations?: Translations<{ text: string }>;
}

/**
 * A questionnaire with every id assigned: the shape the report engine reads, plus the language its
 * texts are written in (absent in definitions stored before languages: English) and, beside each
 * text, its translations. Translations never change an id, the scale or the order of anything, so
 * a round's answers form one analysis whatever language each rater read.
 */
export interface QuestionnaireDefinition extends QuestionnaireSnapshot {
  language?: Language;
  scale: TranslatedScale;
  competencies: TranslatedCompetency[];
  openQuestions: TranslatedOpenQuestion[];
}

const identifier = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, "-" or "_"');
const languageSchema = z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` });

/** `{ "fr": {…}, "de": {…} }`: one entry per language, each with the same text fields as what it translates. */
function translationsOf<T extends z.ZodRawShape>(texts: T) {
  const notLanguages = (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')} is not one of the languages ${LANGUAGES.join(', ')}` : undefined;
  return z.partialRecord(languageSchema, z.object(texts), { error: notLanguages }).optional();
}

const scaleSchema = z
  .object({
    points: z.number({ error: 'must be a number' }).int('must be a whole number').min(4, 'must be 4, 5, 6 or 7').max(7, 'must be 4, 5, 6 or 7'),
    labels: z.array(requiredText(TEXT_LIMITS.scaleLabel, 'A scale label')),
    naLabel: requiredText(TEXT_LIMITS.naLabel, 'The "not able to rate" label'),
    translations: translationsOf({
      labels: z.array(text(TEXT_LIMITS.scaleLabel, 'A scale label')).optional(),
      naLabel: text(TEXT_LIMITS.naLabel, 'The "not able to rate" label').optional(),
    }),
  })
  .superRefine((scale, context) => {
    if (scale.labels.length !== scale.points) context.addIssue({ code: 'custom', path: ['labels'], message: 'The scale needs exactly one label per point.' });
    for (const [language, translation] of Object.entries(scale.translations ?? {})) {
      if (translation.labels && translation.labels.length !== scale.points) {
        context.addIssue({ code: 'custom', path: ['translations', language, 'labels'], message: 'A translated scale needs one label per point ("" for a point not translated yet).' });
      }
    }
  });

const itemSchema = z.object({
  id: identifier.optional(),
  text: requiredText(TEXT_LIMITS.item, 'Item text'),
  translations: translationsOf({ text: text(TEXT_LIMITS.item, 'Item text') }),
});
const competencySchema = z.object({
  id: identifier.optional(),
  name: requiredText(TEXT_LIMITS.competencyName, 'Competency name'),
  description: text(TEXT_LIMITS.competencyDescription, 'Competency description').default(''),
  items: z.array(itemSchema).max(LIMITS.itemsPerCompetency, `at most ${LIMITS.itemsPerCompetency} items per competency`),
  translations: translationsOf({
    name: text(TEXT_LIMITS.competencyName, 'Competency name').optional(),
    description: text(TEXT_LIMITS.competencyDescription, 'Competency description').optional(),
  }),
});
const openQuestionSchema = z.object({
  id: identifier.optional(),
  text: requiredText(TEXT_LIMITS.openQuestion, 'Open question'),
  translations: translationsOf({ text: text(TEXT_LIMITS.openQuestion, 'Open question') }),
});

/** Where a document translates into its own language: its texts in that language are the source ones. */
function translationsIntoOwnLanguage(document: z.output<typeof documentSchema>): Array<{ path: PropertyKey[]; language: Language }> {
  const own = document.language ?? SOURCE_LANGUAGE;
  const found: Array<{ path: PropertyKey[]; language: Language }> = [];
  const check = (translations: object | undefined, path: PropertyKey[]) => {
    if (translations && own in translations) found.push({ path: [...path, 'translations', own], language: own });
  };
  check(document.scale.translations, ['scale']);
  document.competencies.forEach((competency, c) => {
    check(competency.translations, ['competencies', c]);
    competency.items.forEach((item, i) => check(item.translations, ['competencies', c, 'items', i]));
  });
  document.openQuestions.forEach((question, q) => check(question.translations, ['openQuestions', q]));
  return found;
}

const documentSchema = z.object({
  format: z.literal(QUESTIONNAIRE_FORMAT, { error: `must be "${QUESTIONNAIRE_FORMAT}"` }).optional(),
  name: requiredText(200, 'Name'),
  description: text(2000, 'Description').default(''),
  language: languageSchema.optional(),
  scale: scaleSchema,
  competencies: z.array(competencySchema).max(LIMITS.competencies, `at most ${LIMITS.competencies} competencies`),
  openQuestions: z.array(openQuestionSchema).max(LIMITS.openQuestions, `at most ${LIMITS.openQuestions} open questions`),
});

/** The questionnaire as stored, edited, imported and exported. Ids may be missing on import. */
export const questionnaireInputSchema = documentSchema.superRefine((document, context) => {
  for (const { path, language } of translationsIntoOwnLanguage(document)) {
    context.addIssue({ code: 'custom', path, message: `The questionnaire is written in ${LANGUAGE_NAMES[language]} ("language"): its own texts need no translation into it.` });
  }
});

export type QuestionnaireInput = z.input<typeof questionnaireInputSchema>;

function shortId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * Translations as stored: only texts that are there, in the order of LANGUAGES; undefined when no
 * language has any. `clean` keeps what a language's entry should keep, or null for nothing.
 */
function compact<T>(translations: Translations<T> | undefined, clean: (entry: T) => T | null): Translations<T> | undefined {
  const kept: Translations<T> = {};
  for (const language of LANGUAGES) {
    const entry = translations?.[language];
    const cleaned = entry === undefined ? null : clean(entry);
    if (cleaned !== null) kept[language] = cleaned;
  }
  return Object.keys(kept).length ? kept : undefined;
}

/** Only the fields with text; null when none has any. */
function nonEmpty<T extends Record<string, string | undefined>>(fields: T): T | null {
  const kept = Object.fromEntries(Object.entries(fields).filter(([, value]) => value)) as T;
  return Object.keys(kept).length ? kept : null;
}

/** `{ ...value, translations }` without a `translations` key when there are none. */
export function withTranslations<T extends object, U>(value: T, translations: Translations<U> | undefined): T & { translations?: Translations<U> } {
  return translations ? { ...value, translations } : value;
}

/**
 * Validates input and gives every competency, item and open question a unique id, keeping the
 * ids it already has (so an edited questionnaire keeps its ids) and replacing duplicates. The
 * language defaults to English; empty translations are dropped, and so is the translation of a
 * competency description the source does not have.
 */
export function normaliseDefinition(input: unknown): { ok: true; definition: QuestionnaireDefinition } | { ok: false; error: z.ZodError } {
  const parsed = questionnaireInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const used = new Set<string>();
  const claim = (id: string | undefined) => {
    let chosen = id && !used.has(id) ? id : shortId();
    while (used.has(chosen)) chosen = shortId();
    used.add(chosen);
    return chosen;
  };
  const value = parsed.data;
  const textOnly = (entry: { text: string }) => nonEmpty(entry);
  return {
    ok: true,
    definition: {
      name: value.name,
      description: value.description,
      language: value.language ?? SOURCE_LANGUAGE,
      scale: withTranslations(
        { points: value.scale.points, labels: value.scale.labels, naLabel: value.scale.naLabel },
        compact(value.scale.translations, ({ labels, naLabel }) => {
          const kept = { ...(labels?.some(Boolean) ? { labels } : {}), ...(naLabel ? { naLabel } : {}) };
          return Object.keys(kept).length ? kept : null;
        }),
      ),
      competencies: value.competencies.map((competency) =>
        withTranslations(
          {
            id: claim(competency.id),
            name: competency.name,
            description: competency.description,
            items: competency.items.map((item) => withTranslations({ id: claim(item.id), text: item.text }, compact(item.translations, textOnly))),
          },
          compact(competency.translations, ({ name, description }) => nonEmpty({ name, description: competency.description ? description : undefined })),
        ),
      ),
      openQuestions: value.openQuestions.map((question) => withTranslations({ id: claim(question.id), text: question.text }, compact(question.translations, textOnly))),
    },
  };
}

/** "competencies[2].items[0].text: Item text is required." — names the field so a person can find it in the file. */
export function describeDefinitionErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (label, part) => (typeof part === 'number' ? `${label}[${part}]` : label ? `${label}.${String(part)}` : String(part)),
      '',
    );
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

/** One message per offending field, keyed by its dotted path (`competencies.2.items.0.text`). */
export function definitionFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.')] ??= issue.message;
  return fields;
}

/** Why a questionnaire cannot be used for a round yet, or null when it can; the pages phrase it in the coach's language. */
export function unusableReason(definition: QuestionnaireDefinition): { why: 'noCompetencies' } | { why: 'emptyCompetency'; name: string } | null {
  if (definition.competencies.length === 0) return { why: 'noCompetencies' };
  const empty = definition.competencies.find((competency) => competency.items.length === 0);
  return empty ? { why: 'emptyCompetency', name: empty.name } : null;
}

/** The same in English, for the error a service throws. */
export function whyNotUsable(definition: QuestionnaireDefinition): string | null {
  const reason = unusableReason(definition);
  if (!reason) return null;
  return reason.why === 'noCompetencies' ? 'It has no competencies yet.' : `The competency "${reason.name}" has no items yet.`;
}

export function itemCount(definition: QuestionnaireDefinition): number {
  return definition.competencies.reduce((sum, competency) => sum + competency.items.length, 0);
}

/** The document of the import/export format; a definition stored before languages says it is English. */
export function toExportDocument(definition: QuestionnaireDefinition): QuestionnaireInput & { format: string } {
  const { name, description, ...content } = definition;
  return { format: QUESTIONNAIRE_FORMAT, name, description, language: definition.language ?? SOURCE_LANGUAGE, ...content };
}
