import { sql } from 'kysely';
import type { Db, QuestionnaireRow } from '../db/schema';
import { likeContaining, type PageRequest } from '../lists';
import type { QuestionnaireDefinition } from './questionnaire-definition';
import type { Questionnaire, QuestionnairePosition } from './questionnaires.types';

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

/** The stored definition of a questionnaire by id, whoever owns it (the start-up check of the built-in ones). */
export async function findDefinition(db: Db, id: string): Promise<QuestionnaireDefinition | undefined> {
  const row = await db.selectFrom('questionnaires').select('definition').where('id', '=', id).executeTakeFirst();
  return row && (JSON.parse(row.definition) as QuestionnaireDefinition);
}

/**
 * A batch of the frozen snapshots of rounds made from a questionnaire, in id order after `afterId`.
 * Read here rather than in rounds/ because only the built-in questionnaire's update writes them
 * back (translations added, see ensureBuiltinQuestionnaires).
 */
export async function listRoundSnapshots(db: Db, questionnaireId: string, afterId: string, limit: number): Promise<Array<{ id: string; snapshot: QuestionnaireDefinition }>> {
  const rows = await db
    .selectFrom('rounds')
    .select(['id', 'questionnaire_snapshot'])
    .where('questionnaire_id', '=', questionnaireId)
    .where('questionnaire_snapshot', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, snapshot: JSON.parse(row.questionnaire_snapshot!) as QuestionnaireDefinition }));
}

export async function updateRoundSnapshot(db: Db, roundId: string, snapshot: QuestionnaireDefinition): Promise<void> {
  await db.updateTable('rounds').set({ questionnaire_snapshot: JSON.stringify(snapshot) }).where('id', '=', roundId).execute();
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

/**
 * A page of the questionnaires the coach may use, the built-in ones first, then by name: active
 * ones or archived ones, optionally those whose name contains `search` (any case). Read with
 * `limit + 1` rows (see pageOf).
 */
export async function listReadableQuestionnaires(
  db: Db,
  coachId: string,
  filter: { archived: boolean; search: string },
  page: PageRequest<QuestionnairePosition>,
): Promise<Questionnaire[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .selectAll()
    .where((eb) => eb.or([eb('coach_id', '=', coachId), eb('is_builtin', '=', 1)]))
    .where('archived_at', filter.archived ? 'is not' : 'is', null)
    .$if(filter.search !== '', (query) => query.where(sql<boolean>`lower(name) like ${likeContaining(filter.search.toLowerCase())} escape '\\'`))
    .$if(page.after !== null, (query) => {
      const [builtin, name, id] = page.after!;
      return query.where((eb) =>
        eb.or([eb('is_builtin', '<', builtin), eb.and([eb('is_builtin', '=', builtin), eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])])])]),
      );
    })
    .orderBy('is_builtin', 'desc')
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toQuestionnaire);
}

/** Every active questionnaire the coach may use (the round form's choice; a coach has a few dozen at most). */
export async function listActiveQuestionnaires(db: Db, coachId: string): Promise<Questionnaire[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .selectAll()
    .where((eb) => eb.or([eb('coach_id', '=', coachId), eb('is_builtin', '=', 1)]))
    .where('archived_at', 'is', null)
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
