import { sql } from 'kysely';
import type { Db, EngagementRow } from '../db/schema';
import { isLanguage, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import { likeContaining, type PageRequest } from '../lists';
import type { Engagement, EngagementFields, EngagementFilter, EngagementPosition, StageEntry } from './engagements.types';
import type { Stage } from './stages';

/** Client name and organisation as searches compare them: lower case, without accents ("emilie" finds "Émilie"). */
export function searchText(text: string): string {
  return text.normalize('NFKD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase();
}

function toEngagement(row: EngagementRow): Engagement {
  return {
    id: row.id,
    coachId: row.coach_id,
    clientName: row.client_name,
    clientEmail: row.client_email,
    organisation: row.organisation,
    role: row.role,
    startDate: row.start_date,
    notes: row.notes,
    language: isLanguage(row.language) ? row.language : SOURCE_LANGUAGE,
    stage: row.stage as Stage,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at,
    raterDataErasedOn: row.rater_data_erased_on,
    closingNote: row.closing_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertEngagement(
  db: Db,
  engagement: EngagementFields & { id: string; coachId: string; stage: Stage; language: Language; now: string },
): Promise<void> {
  await db
    .insertInto('engagements')
    .values({
      id: engagement.id,
      coach_id: engagement.coachId,
      client_name: engagement.clientName,
      client_email: engagement.clientEmail,
      organisation: engagement.organisation,
      role: engagement.role,
      start_date: engagement.startDate,
      notes: engagement.notes,
      language: engagement.language,
      stage: engagement.stage,
      search_text: searchText(`${engagement.clientName} ${engagement.organisation}`),
      created_at: engagement.now,
      updated_at: engagement.now,
    })
    .execute();
}

/** Only ever finds the coach's own engagement: another coach's id looks exactly like an unknown one. */
export async function findOwnEngagement(db: Db, coachId: string, id: string): Promise<Engagement | undefined> {
  const row = await db.selectFrom('engagements').selectAll().where('id', '=', id).where('coach_id', '=', coachId).executeTakeFirst();
  return row && toEngagement(row);
}

/**
 * A page of the coach's engagements, most recently changed first, read with `limit + 1` rows (see
 * pageOf). Ordered by (updated_at, id) from the index on (coach_id, updated_at, id).
 */
export async function listOwnEngagements(db: Db, coachId: string, filter: EngagementFilter, page: PageRequest<EngagementPosition>): Promise<Engagement[]> {
  const rows = await db
    .selectFrom('engagements')
    .selectAll()
    .where('coach_id', '=', coachId)
    .where('archived_at', filter.archived ? 'is not' : 'is', null)
    .$if(filter.stage !== null, (query) => query.where('stage', '=', filter.stage!))
    .$if(filter.search !== '', (query) => query.where(sql<boolean>`search_text like ${likeContaining(searchText(filter.search))} escape '\\'`))
    .$if(page.after !== null, (query) => {
      const [updatedAt, id] = page.after!;
      return query.where((eb) => eb.or([eb('updated_at', '<', updatedAt), eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)])]));
    })
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toEngagement);
}

export async function findOwnEngagementByClientEmail(db: Db, coachId: string, clientEmail: string): Promise<Engagement | undefined> {
  const row = await db.selectFrom('engagements').selectAll().where('coach_id', '=', coachId).where('client_email', '=', clientEmail).executeTakeFirst();
  return row && toEngagement(row);
}

export async function updateEngagementFields(db: Db, id: string, fields: EngagementFields, now: string): Promise<void> {
  await db
    .updateTable('engagements')
    .set({
      client_name: fields.clientName,
      client_email: fields.clientEmail,
      organisation: fields.organisation,
      role: fields.role,
      start_date: fields.startDate,
      notes: fields.notes,
      language: fields.language,
      search_text: searchText(`${fields.clientName} ${fields.organisation}`),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function updateEngagementStage(db: Db, id: string, stage: Stage, now: string): Promise<void> {
  await db.updateTable('engagements').set({ stage, updated_at: now }).where('id', '=', id).execute();
}

export async function setEngagementArchived(db: Db, id: string, archivedAt: string | null, now: string): Promise<void> {
  await db.updateTable('engagements').set({ archived_at: archivedAt, updated_at: now }).where('id', '=', id).execute();
}

/**
 * Deletes engagements with everything in them: rounds, answers, reports, releases and plans go
 * through the foreign keys' cascade; the emails of their rounds are deleted first, since the outbox
 * has no foreign key to rounds and would keep raters' addresses and the client's name in subjects.
 */
export async function deleteEngagements(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await db.deleteFrom('outbox').where('round_id', 'in', db.selectFrom('rounds').select('id').where('engagement_id', 'in', ids)).execute();
  const result = await db.deleteFrom('engagements').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertStageEntry(db: Db, entry: { id: string; engagementId: string; stage: Stage; enteredOn: string; recordedAt: string }): Promise<void> {
  await db
    .insertInto('engagement_stages')
    .values({ id: entry.id, engagement_id: entry.engagementId, stage: entry.stage, entered_on: entry.enteredOn, recorded_at: entry.recordedAt })
    .execute();
}

/** The timeline, oldest first; entries on the same day keep the order they were recorded in. */
export async function listStageEntries(db: Db, engagementId: string): Promise<StageEntry[]> {
  return (await listStageEntriesOf(db, [engagementId])).get(engagementId) ?? [];
}

/** The timelines of several engagements (a page of the API's list), in one statement. */
export async function listStageEntriesOf(db: Db, engagementIds: string[]): Promise<Map<string, StageEntry[]>> {
  if (engagementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('engagement_stages')
    .select(['id', 'engagement_id', 'stage', 'entered_on'])
    .where('engagement_id', 'in', engagementIds)
    .orderBy('entered_on')
    .orderBy('recorded_at')
    .execute();
  const timelines = new Map<string, StageEntry[]>();
  for (const row of rows) timelines.set(row.engagement_id, [...(timelines.get(row.engagement_id) ?? []), { id: row.id, stage: row.stage as Stage, enteredOn: row.entered_on }]);
  return timelines;
}

export async function updateClosingNote(db: Db, id: string, note: string, now: string): Promise<void> {
  await db.updateTable('engagements').set({ closing_note: note, updated_at: now }).where('id', '=', id).execute();
}
