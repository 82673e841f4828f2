import type { Db } from '../db/schema';
import type { Clock } from '../clock';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { newId } from '../secrets';
import { LEADERSHIP_360, LEADERSHIP_360_ID } from './leadership-360';
import {
  DEFAULT_SCALE_LABELS,
  NOT_ABLE_TO_RATE,
  definitionFieldErrors,
  describeDefinitionErrors,
  normaliseDefinition,
  whyNotUsable,
  type QuestionnaireDefinition,
} from './questionnaire-definition';
import { z } from 'zod';
import { pageOf, type Page, type PageRequest } from '../lists';
import * as repo from './questionnaires.repository';
import type { Questionnaire, QuestionnairePosition } from './questionnaires.types';

/** Adds the shipped questionnaires if they are missing; never overwrites an existing one. */
export async function ensureBuiltinQuestionnaires(db: Db, clock: Clock): Promise<void> {
  if (await repo.builtinExists(db, LEADERSHIP_360_ID)) return;
  await repo.insertQuestionnaire(db, {
    id: LEADERSHIP_360_ID,
    coachId: null,
    builtin: true,
    definition: LEADERSHIP_360,
    now: clock.now().toISOString(),
  });
}

/** A page of the questionnaires the coach may use (built-in first, then by name), active or archived. */
export async function listQuestionnaires(
  db: Db,
  coachId: string,
  filter: { archived: boolean; search: string },
  page: PageRequest<QuestionnairePosition>,
): Promise<Page<Questionnaire>> {
  const rows = await repo.listReadableQuestionnaires(db, coachId, { ...filter, search: filter.search.trim() }, page);
  return pageOf(rows, page.limit, (questionnaire) => [questionnaire.builtin ? 1 : 0, questionnaire.name, questionnaire.id]);
}

/** The position a cursor of the questionnaire list stands for. */
export const QUESTIONNAIRE_POSITION = z.tuple([z.union([z.literal(0), z.literal(1)]), z.string().max(200), z.string().max(64)]);

/** Every questionnaire a round can use now (the choice on the round form): not archived, complete. */
export async function listUsableQuestionnaires(db: Db, coachId: string): Promise<Questionnaire[]> {
  return (await repo.listActiveQuestionnaires(db, coachId)).filter((questionnaire) => !whyNotUsable(questionnaire.definition));
}

export async function getQuestionnaire(db: Db, coachId: string, id: string): Promise<Questionnaire> {
  const questionnaire = await repo.findReadableQuestionnaire(db, coachId, id);
  if (!questionnaire) throw new NotFoundError();
  return questionnaire;
}

/** Only the owner edits; the built-in questionnaire is read-only (copy it to adapt it). */
async function getOwnQuestionnaire(db: Db, coachId: string, id: string): Promise<Questionnaire> {
  const questionnaire = await getQuestionnaire(db, coachId, id);
  if (questionnaire.builtin) {
    throw new ForbiddenError(`"${questionnaire.name}" is built in and cannot be changed. Make a copy to adapt it.`);
  }
  return questionnaire;
}

async function insertOwn(db: Db, clock: Clock, coachId: string, definition: QuestionnaireDefinition): Promise<Questionnaire> {
  const id = newId();
  await repo.insertQuestionnaire(db, { id, coachId, builtin: false, definition, now: clock.now().toISOString() });
  return getQuestionnaire(db, coachId, id);
}

export async function copyQuestionnaire(db: Db, clock: Clock, coachId: string, id: string): Promise<Questionnaire> {
  const original = await getQuestionnaire(db, coachId, id);
  const name = `${original.definition.name} (copy)`.slice(0, 200);
  return insertOwn(db, clock, coachId, { ...structuredClone(original.definition), name });
}

/** A new, empty questionnaire on a default agreement scale of the chosen size. */
export async function createQuestionnaire(
  db: Db,
  clock: Clock,
  coachId: string,
  start: { name: string; description: string; points: number },
): Promise<Questionnaire> {
  return insertOwn(db, clock, coachId, {
    name: start.name,
    description: start.description,
    scale: { points: start.points, labels: [...DEFAULT_SCALE_LABELS[start.points]!], naLabel: NOT_ABLE_TO_RATE },
    competencies: [],
    openQuestions: [],
  });
}

/**
 * Replaces the questionnaire's content. Rounds never read this row after launch (each keeps its
 * own snapshot), so editing can never change a report that already exists.
 */
export async function saveQuestionnaire(db: Db, clock: Clock, coachId: string, id: string, input: unknown): Promise<Questionnaire> {
  await getOwnQuestionnaire(db, coachId, id);
  const result = normaliseDefinition(input);
  if (!result.ok) throw new InvalidError('Some fields need your attention.', definitionFieldErrors(result.error));
  await repo.updateQuestionnaireDefinition(db, id, result.definition, clock.now().toISOString());
  return getQuestionnaire(db, coachId, id);
}

/** Imports a questionnaire from its JSON export; a bad file changes nothing and every problem is named. */
export async function importQuestionnaire(db: Db, clock: Clock, coachId: string, json: string): Promise<Questionnaire> {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new InvalidError('The file is not valid JSON.', { file: `The file is not valid JSON (${(error as Error).message}).` });
  }
  return createQuestionnaireFromDocument(db, clock, coachId, document, (problems) => ({ file: problems.slice(0, 10).join('\n') }));
}

/**
 * A questionnaire from its document (the export format): validated as a whole, so a bad document
 * creates nothing. `describe` shapes the field errors for the caller (a form, the API).
 */
export async function createQuestionnaireFromDocument(
  db: Db,
  clock: Clock,
  coachId: string,
  document: unknown,
  describe: (problems: string[], fields: Record<string, string>) => Record<string, string> = (_problems, fields) => fields,
): Promise<Questionnaire> {
  const result = normaliseDefinition(document);
  if (!result.ok) throw new InvalidError('This is not a valid questionnaire.', describe(describeDefinitionErrors(result.error), definitionFieldErrors(result.error)));
  return insertOwn(db, clock, coachId, result.definition);
}

export async function setQuestionnaireArchived(db: Db, clock: Clock, coachId: string, id: string, archived: boolean): Promise<Questionnaire> {
  await getOwnQuestionnaire(db, coachId, id);
  await repo.setQuestionnaireArchived(db, id, archived ? clock.now().toISOString() : null);
  return getQuestionnaire(db, coachId, id);
}
