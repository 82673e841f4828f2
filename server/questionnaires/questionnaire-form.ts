import type { FieldErrors } from '../errors';
import { isLanguage, SOURCE_LANGUAGE } from '../i18n/languages';
import { agreementScale, isAgreementScale, SCALE_POINTS } from './default-scales';
import type { QuestionnaireDefinition, QuestionnaireInput } from './questionnaire-definition';
import { sourceLanguageOf } from './questionnaire-languages';

/**
 * The editor is one plain HTML form (it must work without JavaScript): every competency, item and
 * open question is a numbered field, an empty slot at the end of each list adds a new entry, and
 * the move/remove buttons submit the whole form so no typing is lost. This module turns that form
 * into a draft, applies the pressed button, and maps validation errors back to field names.
 */
export interface EditorDraft {
  name: string;
  description: string;
  /** The language the texts are written in, as posted (checked by the definition's schema). */
  language: string;
  scalePoints: string;
  scaleLabels: string;
  naLabel: string;
  competencies: Array<{ id: string; name: string; description: string; items: Array<{ id: string; text: string }> }>;
  openQuestions: Array<{ id: string; text: string }>;
}

type FormBody = Record<string, unknown>;

const field = (body: FormBody, key: string): string => {
  const value = body[key];
  return typeof value === 'string' ? value : '';
};

/** Indices present in the form for a prefix such as `c.` or `c.2.i.`, in numeric order. */
function indices(body: FormBody, prefix: string, suffix: string): number[] {
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}(\\d{1,3})\\.${suffix}$`);
  const found = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key);
    if (match) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function draftFromDefinition(definition: QuestionnaireDefinition): EditorDraft {
  return {
    name: definition.name,
    description: definition.description,
    language: sourceLanguageOf(definition),
    scalePoints: String(definition.scale.points),
    scaleLabels: definition.scale.labels.join('\n'),
    naLabel: definition.scale.naLabel,
    competencies: definition.competencies.map((competency) => ({
      id: competency.id,
      name: competency.name,
      description: competency.description,
      items: competency.items.map((item) => ({ id: item.id, text: item.text })),
    })),
    openQuestions: definition.openQuestions.map((question) => ({ id: question.id, text: question.text })),
  };
}

/** Reads the posted form, including the empty "new" slots, into a draft with no empty entries. */
export function draftFromForm(body: FormBody): EditorDraft {
  const competencies = indices(body, 'c.', 'name').map((c) => {
    const items = indices(body, `c.${c}.i.`, 'text')
      .map((i) => ({ id: field(body, `c.${c}.i.${i}.id`), text: field(body, `c.${c}.i.${i}.text`).trim() }))
      .filter((item) => item.text);
    for (const text of lines(field(body, `c.${c}.newItems`))) items.push({ id: '', text });
    return { id: field(body, `c.${c}.id`), name: field(body, `c.${c}.name`), description: field(body, `c.${c}.description`), items };
  });
  const newName = field(body, 'newCompetency.name').trim();
  if (newName) {
    competencies.push({
      id: '',
      name: newName,
      description: field(body, 'newCompetency.description'),
      items: lines(field(body, 'newCompetency.items')).map((text) => ({ id: '', text })),
    });
  }
  const openQuestions = indices(body, 'q.', 'text')
    .map((q) => ({ id: field(body, `q.${q}.id`), text: field(body, `q.${q}.text`).trim() }))
    .filter((question) => question.text);
  for (const text of lines(field(body, 'newQuestions'))) openQuestions.push({ id: '', text });

  return {
    name: field(body, 'name'),
    description: field(body, 'description'),
    language: field(body, 'language') || SOURCE_LANGUAGE,
    scalePoints: field(body, 'scalePoints'),
    scaleLabels: field(body, 'scaleLabels'),
    naLabel: field(body, 'naLabel'),
    competencies,
    openQuestions,
  };
}

function move<T>(list: T[], index: number, delta: -1 | 1): void {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return;
  [list[index], list[target]] = [list[target]!, list[index]!];
}

const EDITOR_ACTION = /^(up|down|remove):(c|q)\.(\d{1,3})(?:\.i\.(\d{1,3}))?$/;

/** `save`, or a move/remove button such as `up:c.2`, `down:c.2.i.1`, `remove:q.0`. */
export function isEditorAction(action: string): boolean {
  return action === 'save' || EDITOR_ACTION.test(action);
}

/** Applies a move/remove button to the draft (`save` changes nothing). */
export function applyEditorAction(draft: EditorDraft, action: string): EditorDraft {
  const match = EDITOR_ACTION.exec(action);
  if (!match) return draft;
  const [, verb, kind, first, second] = match;
  const list: unknown[] =
    kind === 'q' ? draft.openQuestions : second === undefined ? draft.competencies : (draft.competencies[Number(first)]?.items ?? []);
  const index = Number(second ?? first);
  if (verb === 'remove') list.splice(index, 1);
  else move(list, index, verb === 'up' ? -1 : 1);
  return draft;
}

/**
 * The draft as the definition schema expects it, without translations (the service keeps those of
 * every text left as it was). A changed number of scale points brings the matching agreement scale
 * of the questionnaire's language, with its translations, unless the coach has written labels of
 * their own.
 */
export function inputFromDraft(draft: EditorDraft): QuestionnaireInput {
  const points = Number(draft.scalePoints);
  const language = isLanguage(draft.language) ? draft.language : SOURCE_LANGUAGE;
  let labels = lines(draft.scaleLabels);
  let scaleTranslations: QuestionnaireInput['scale']['translations'];
  const isKnownSize = (SCALE_POINTS as readonly number[]).includes(points);
  if (labels.length !== points && (labels.length === 0 || isAgreementScale(labels, language)) && isKnownSize) {
    const scale = agreementScale(points, language);
    labels = scale.labels;
    // The default "not able to rate" wording's translations come too, unless the coach reworded it.
    const defaultNaLabel = scale.naLabel === draft.naLabel.trim();
    scaleTranslations = Object.fromEntries(
      Object.entries(scale.translations ?? {}).map(([other, translation]) => [other, defaultNaLabel ? translation : { labels: translation.labels }]),
    );
    draft.scaleLabels = labels.join('\n');
  }
  return {
    name: draft.name,
    description: draft.description,
    language: draft.language as QuestionnaireInput['language'],
    scale: { points: Number.isInteger(points) ? points : Number.NaN, labels, naLabel: draft.naLabel, ...(scaleTranslations ? { translations: scaleTranslations } : {}) },
    competencies: draft.competencies.map((competency) => ({
      ...(competency.id ? { id: competency.id } : {}),
      name: competency.name,
      description: competency.description,
      items: competency.items.map((item) => ({ ...(item.id ? { id: item.id } : {}), text: item.text })),
    })),
    openQuestions: draft.openQuestions.map((question) => ({ ...(question.id ? { id: question.id } : {}), text: question.text })),
  };
}

/** `competencies.2.items.1.text` → `c.2.i.1.text`, the name of the field in the editor. */
export function editorFieldName(definitionPath: string): string {
  return definitionPath
    .replace(/^competencies\.(\d+)\.items\.(\d+)/, 'c.$1.i.$2')
    .replace(/^competencies\.(\d+)/, 'c.$1')
    .replace(/^openQuestions\.(\d+)/, 'q.$1')
    .replace(/^scale\.labels(\.\d+)?$/, 'scaleLabels')
    .replace(/^scale\.naLabel$/, 'naLabel')
    .replace(/^scale\.points$/, 'scalePoints');
}

export function editorErrors(definitionErrors: FieldErrors): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(definitionErrors)) errors[editorFieldName(path)] ??= message;
  return errors;
}
