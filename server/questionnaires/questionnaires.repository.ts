import type { Db } from '../db/schema';
import type { QuestionnaireRow } from '../db/schema';
import type { QuestionnaireDefinition } from './questionnaire-definition';

export interface Questionnaire {
  id: string;
  coachId: string | null;
  builtin: boolean;
  name: string;
  definition: QuestionnaireDefinition;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

function toQuestionnaire(row: QuestionnaireRow): Questionnaire {
  return {
    id: row.id,
    coachId: row.coach_id,
    builtin: row.is_builtin === 1,
    name: row.name,
    definition: JSON.parse(row.definition) as QuestionnaireDefinition,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertQuestionnaire(
  db: Db,
  questionnaire: { id: string; coachId: string | null; builtin: boolean; definition: QuestionnaireDefinition; now: string },
): Promise<void> {
  await db
    .insertInto('questionnaires')
    .values({
      id: questionnaire.id,
      coach_id: questionnaire.coachId,
      is_builtin: questionnaire.builtin ? 1 : 0,
      name: questionnaire.definition.name,
      definition: JSON.stringify(questionnaire.definition),
      created_at: questionnaire.now,
      updated_at: questionnaire.now,
    })
    .execute();
}

export async function builtinExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('questionnaires').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** A questionnaire the coach may read: a built-in one or their own. */
export async function findReadableQuestionnaire(db: Db, coachId: string, id: string): Promise<Questionnaire | undefined> {
  const row = await db
    .selectFrom('questionnaires')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('coach_id', '=', coachId), eb('is_builtin', '=', 1)]))
    .executeTakeFirst();
  return row && toQuestionnaire(row);
}

export async function listReadableQuestionnaires(db: Db, coachId: string, includeArchived: boolean): Promise<Questionnaire[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .selectAll()
    .where((eb) => eb.or([eb('coach_id', '=', coachId), eb('is_builtin', '=', 1)]))
    .$if(!includeArchived, (query) => query.where('archived_at', 'is', null))
    .orderBy('is_builtin', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toQuestionnaire);
}

export async function updateQuestionnaireDefinition(db: Db, id: string, definition: QuestionnaireDefinition, now: string): Promise<void> {
  await db
    .updateTable('questionnaires')
    .set({ name: definition.name, definition: JSON.stringify(definition), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setQuestionnaireArchived(db: Db, id: string, archivedAt: string | null): Promise<void> {
  await db.updateTable('questionnaires').set({ archived_at: archivedAt }).where('id', '=', id).execute();
}
