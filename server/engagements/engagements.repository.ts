import type { Db } from '../db/schema';
import type { EngagementRow } from '../db/schema';
import type { Engagement, EngagementFields, StageEntry } from './engagements.types';
import type { Stage } from './stages';

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
    stage: row.stage as Stage,
    archived: row.archived_at !== null,
    closingNote: row.closing_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertEngagement(
  db: Db,
  engagement: EngagementFields & { id: string; coachId: string; stage: Stage; now: string },
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
      stage: engagement.stage,
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

export async function listOwnEngagements(db: Db, coachId: string, filter: { stage: Stage | null; archived: boolean }): Promise<Engagement[]> {
  const rows = await db
    .selectFrom('engagements')
    .selectAll()
    .where('coach_id', '=', coachId)
    .where('archived_at', filter.archived ? 'is not' : 'is', null)
    .$if(filter.stage !== null, (query) => query.where('stage', '=', filter.stage!))
    .orderBy('updated_at', 'desc')
    .execute();
  return rows.map(toEngagement);
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

export async function insertStageEntry(db: Db, entry: { id: string; engagementId: string; stage: Stage; enteredOn: string; recordedAt: string }): Promise<void> {
  await db
    .insertInto('engagement_stages')
    .values({ id: entry.id, engagement_id: entry.engagementId, stage: entry.stage, entered_on: entry.enteredOn, recorded_at: entry.recordedAt })
    .execute();
}

/** The timeline, oldest first; entries on the same day keep the order they were recorded in. */
export async function listStageEntries(db: Db, engagementId: string): Promise<StageEntry[]> {
  const rows = await db
    .selectFrom('engagement_stages')
    .select(['id', 'stage', 'entered_on'])
    .where('engagement_id', '=', engagementId)
    .orderBy('entered_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map((row) => ({ id: row.id, stage: row.stage as Stage, enteredOn: row.entered_on }));
}

export async function updateClosingNote(db: Db, id: string, note: string, now: string): Promise<void> {
  await db.updateTable('engagements').set({ closing_note: note, updated_at: now }).where('id', '=', id).execute();
}
