import type { Db } from '../db/schema';
import type { Clock } from '../clock';
import { BadRequestError, ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { Language } from '../i18n/languages';
import { newId } from '../secrets';
import { agreementScale } from './default-scales';
import { LEADERSHIP_360, LEADERSHIP_360_ID } from './leadership-360';
import { readTranslationTable, type TableProblem } from './questionnaire-csv';
import {
  definitionFieldErrors,
  describeDefinitionErrors,
  normaliseDefinition,
  whyNotUsable,
  type QuestionnaireDefinition,
} from './questionnaire-definition';
import { carryTranslations, questionnaireTexts, sameSourceTexts, sourceLanguageOf, withLanguageTexts } from './questionnaire-languages';
import { z } from 'zod';
import { pageOf, type Page, type PageRequest } from '../lists';
import * as repo from './questionnaires.repository';
import type { Questionnaire, QuestionnairePosition } from './questionnaires.types';

const SNAPSHOT_BATCH = 200;

/**
 * Keeps the shipped questionnaire as the code has it: added when missing, replaced when it differs
 * (coaches cannot change a built-in one, and rounds keep their own snapshots). When it changes, the
 * frozen snapshots of rounds on it whose texts are exactly the shipped ones (same language, ids,
 * scale and wording) take its translations: what a rater read or answered stays byte for byte the
 * same, and a past round can then be re-run, reported or read in the languages added since.
 */
export async function ensureBuiltinQuestionnaires(db: Db, clock: Clock): Promise<void> {
  const stored = await repo.findDefinition(db, LEADERSHIP_360_ID);
  const now = clock.now().toISOString();
  if (!stored) {
    await repo.insertQuestionnaire(db, { id: LEADERSHIP_360_ID, coachId: null, builtin: true, definition: LEADERSHIP_360, now });
    return;
  }
  if (JSON.stringify(stored) === JSON.stringify(LEADERSHIP_360)) return;
  await db.transaction().execute(async (trx) => {
    await repo.updateQuestionnaireDefinition(trx, LEADERSHIP_360_ID, LEADERSHIP_360, now);
    for (let after = ''; ; ) {
      const batch = await repo.listRoundSnapshots(trx, LEADERSHIP_360_ID, after, SNAPSHOT_BATCH);
      for (const { id, snapshot } of batch) {
        if (!sameSourceTexts(snapshot, LEADERSHIP_360)) continue;
        const translated = { ...snapshot, language: LEADERSHIP_360.language, scale: LEADERSHIP_360.scale, competencies: LEADERSHIP_360.competencies, openQuestions: LEADERSHIP_360.openQuestions };
        if (JSON.stringify(translated) !== JSON.stringify(snapshot)) await repo.updateRoundSnapshot(trx, id, translated);
      }
      if (batch.length < SNAPSHOT_BATCH) break;
      after = batch.at(-1)!.id;
    }
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
    throw new ForbiddenError(new Phrase('error.questionnaire.builtIn', { name: questionnaire.name }));
  }
  return questionnaire;
}

async function insertOwn(db: Db, clock: Clock, coachId: string, definition: QuestionnaireDefinition): Promise<Questionnaire> {
  const id = newId();
  await repo.insertQuestionnaire(db, { id, coachId, builtin: false, definition, now: clock.now().toISOString() });
  return getQuestionnaire(db, coachId, id);
}

/** Names a copy from the original's name; the pages name it in the coach's language ("Leadership 360 (Kopie)"). */
export type CopyNamer = (name: string) => string;

const englishCopyName: CopyNamer = (name) => `${name} (copy)`;

function copyName(name: string, nameCopy: CopyNamer): string {
  return nameCopy(name).slice(0, 200);
}

export async function copyQuestionnaire(db: Db, clock: Clock, coachId: string, id: string, nameCopy: CopyNamer = englishCopyName): Promise<Questionnaire> {
  const original = await getQuestionnaire(db, coachId, id);
  return insertOwn(db, clock, coachId, { ...structuredClone(original.definition), name: copyName(original.definition.name, nameCopy) });
}

/** A new, empty questionnaire in `language` on the agreement scale of the chosen size (its wording in every language comes with it). */
export async function createQuestionnaire(
  db: Db,
  clock: Clock,
  coachId: string,
  start: { name: string; description: string; points: number; language: Language },
): Promise<Questionnaire> {
  return insertOwn(db, clock, coachId, {
    name: start.name,
    description: start.description,
    language: start.language,
    scale: agreementScale(start.points, start.language),
    competencies: [],
    openQuestions: [],
  });
}

/**
 * Replaces the questionnaire's content from the editor. Rounds never read this row after launch
 * (each keeps its own snapshot), so editing can never change a report that already exists. Each
 * text keeps its translations while its wording stays; `droppedTranslations` counts the reworded
 * texts whose translations went (they translated the old wording).
 */
export async function saveQuestionnaire(db: Db, clock: Clock, coachId: string, id: string, input: unknown): Promise<{ questionnaire: Questionnaire; droppedTranslations: number }> {
  const current = await getOwnQuestionnaire(db, coachId, id);
  const result = normaliseDefinition(input);
  if (!result.ok) throw new InvalidError('Some fields need your attention.', definitionFieldErrors(result.error));
  const { definition, dropped } = carryTranslations(current.definition, result.definition);
  const language = sourceLanguageOf(definition);
  // The editor only offers languages without a translation; two tabs could still cross.
  if (questionnaireTexts(definition).some((entry) => entry.translations[language])) {
    throw new ConflictError(new Phrase('error.questionnaire.translationInSourceLanguage'));
  }
  await repo.updateQuestionnaireDefinition(db, id, definition, clock.now().toISOString());
  return { questionnaire: await getQuestionnaire(db, coachId, id), droppedTranslations: dropped };
}

/** Sets the translations into `language` given by text key (an empty one removes it); texts not given keep theirs. */
export async function saveTranslations(db: Db, clock: Clock, coachId: string, id: string, language: Language, texts: Record<string, string>): Promise<Questionnaire> {
  const questionnaire = await getOwnQuestionnaire(db, coachId, id);
  if (language === sourceLanguageOf(questionnaire.definition)) throw new BadRequestError(new Phrase('error.questionnaire.ownLanguage'));
  await repo.updateQuestionnaireDefinition(db, id, withLanguageTexts(questionnaire.definition, language, texts), clock.now().toISOString());
  return getQuestionnaire(db, coachId, id);
}

/**
 * Imports a spreadsheet of translations (questionnaire-csv.ts). A built-in questionnaire cannot
 * change, so its translations go into a new copy of it, which the coach owns; any other
 * questionnaire of the coach is updated in place (rounds keep their snapshots). A file with a
 * problem changes nothing; a file that changes nothing makes no copy.
 */
export async function importTranslations(
  db: Db,
  clock: Clock,
  coachId: string,
  id: string,
  csv: string,
  nameCopy: CopyNamer = englishCopyName,
): Promise<{ ok: true; questionnaire: Questionnaire; copied: boolean; changed: number } | { ok: false; problems: TableProblem[] }> {
  const questionnaire = await getQuestionnaire(db, coachId, id);
  const result = readTranslationTable(csv, questionnaire.definition);
  if (!result.ok) return result;
  if (result.changed === 0) return { ok: true, questionnaire, copied: false, changed: 0 };
  if (questionnaire.builtin) {
    const copy = await insertOwn(db, clock, coachId, { ...result.definition, name: copyName(questionnaire.definition.name, nameCopy) });
    return { ok: true, questionnaire: copy, copied: true, changed: result.changed };
  }
  await repo.updateQuestionnaireDefinition(db, id, result.definition, clock.now().toISOString());
  return { ok: true, questionnaire: await getQuestionnaire(db, coachId, id), copied: false, changed: result.changed };
}

/** Imports a questionnaire from its JSON export, parsed; a bad document changes nothing and every problem is named. */
export async function importQuestionnaire(db: Db, clock: Clock, coachId: string, document: unknown): Promise<Questionnaire> {
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
