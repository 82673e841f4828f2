import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { ConflictError, InvalidError, NotFoundError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import { newId } from '../secrets';
import { z } from 'zod';
import { pageOf, type Page, type PageRequest } from '../lists';
import { findCoachById } from '../auth/auth.repository';
import { SOURCE_LANGUAGE } from '../i18n/languages';
import * as repo from './engagements.repository';
import { setDraftClientLanguage } from '../rounds/invitations.repository';
import type { Engagement, EngagementFields, EngagementFilter, EngagementPosition, StageEntry } from './engagements.types';
import type { Stage } from './stages';

export async function createEngagement(
  db: Db,
  clock: Clock,
  coachId: string,
  fields: EngagementFields & { stage: Stage },
): Promise<Engagement> {
  const id = newId();
  const now = clock.now().toISOString();
  // Unless chosen, the client reads what the coach reads.
  const language = fields.language ?? (await findCoachById(db, coachId))?.language ?? SOURCE_LANGUAGE;
  await db.transaction().execute(async (trx) => {
    await repo.insertEngagement(trx, { ...fields, language, id, coachId, now });
    await repo.insertStageEntry(trx, { id: newId(), engagementId: id, stage: fields.stage, enteredOn: fields.startDate, recordedAt: now });
  });
  return getEngagement(db, coachId, id);
}

export async function getEngagement(db: Db, coachId: string, id: string): Promise<Engagement> {
  const engagement = await repo.findOwnEngagement(db, coachId, id);
  if (!engagement) throw new NotFoundError();
  return engagement;
}

/**
 * A page of the coach's engagements, most recently changed first. The search looks in the client's
 * name and organisation, case- and accent-insensitive, so "emilie" finds "Émilie Durand".
 */
export async function listEngagements(
  db: Db,
  coachId: string,
  filter: EngagementFilter,
  page: PageRequest<EngagementPosition>,
): Promise<Page<Engagement>> {
  const rows = await repo.listOwnEngagements(db, coachId, { ...filter, search: filter.search.trim() }, page);
  return pageOf(rows, page.limit, (engagement) => [engagement.updatedAt, engagement.id]);
}

/** The position a cursor of the engagement list stands for. */
export const ENGAGEMENT_POSITION = z.tuple([z.string().max(40), z.string().max(64)]);

export async function findEngagementByClientEmail(db: Db, coachId: string, clientEmail: string): Promise<Engagement | undefined> {
  return repo.findOwnEngagementByClientEmail(db, coachId, clientEmail);
}

/**
 * Saves what the coach wrote. A new language is the client's from now on: their self-assessment in
 * rounds not launched yet follows it; launched rounds keep the one their invitation went out in.
 */
export async function updateEngagement(db: Db, clock: Clock, coachId: string, id: string, fields: EngagementFields): Promise<Engagement> {
  const before = await getEngagement(db, coachId, id);
  await db.transaction().execute(async (trx) => {
    await repo.updateEngagementFields(trx, id, fields, clock.now().toISOString());
    if (fields.language && fields.language !== before.language) await setDraftClientLanguage(trx, id, fields.language);
  });
  return getEngagement(db, coachId, id);
}

/**
 * Moves the engagement to a stage (forwards or back) and records the day it was entered on the
 * timeline. Moving to the stage it is already in changes nothing.
 */
export async function moveToStage(db: Db, clock: Clock, coachId: string, id: string, stage: Stage, enteredOn?: string): Promise<Engagement> {
  const engagement = await getEngagement(db, coachId, id);
  if (engagement.stage === stage) return engagement;
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await repo.updateEngagementStage(trx, id, stage, now.toISOString());
    await repo.insertStageEntry(trx, { id: newId(), engagementId: id, stage, enteredOn: enteredOn ?? dayOf(now), recordedAt: now.toISOString() });
  });
  return getEngagement(db, coachId, id);
}

export async function setEngagementArchived(db: Db, clock: Clock, coachId: string, id: string, archived: boolean): Promise<Engagement> {
  await getEngagement(db, coachId, id);
  const now = clock.now().toISOString();
  await repo.setEngagementArchived(db, id, archived ? now : null, now);
  return getEngagement(db, coachId, id);
}

/**
 * Deletes an archived engagement for good, with every round, answer, report, plan and email in it.
 * Two deliberate steps: the engagement must be archived first, and the coach types the client's
 * name, since nothing of it can be brought back (answers included: retention keeps them otherwise).
 */
export async function deleteEngagement(db: Db, coachId: string, id: string, typedName: string): Promise<Engagement> {
  const engagement = await getEngagement(db, coachId, id);
  if (!engagement.archived) throw new ConflictError(new Phrase('error.engagement.archiveFirst'));
  if (typedName.trim().toLocaleLowerCase() !== engagement.clientName.trim().toLocaleLowerCase()) {
    throw new InvalidError(new Phrase('error.engagement.nameMismatch'), phrasedFields({ confirmName: new Phrase('error.engagement.typeName', { name: engagement.clientName }) }));
  }
  await db.transaction().execute((trx) => repo.deleteEngagements(trx, [engagement.id]));
  return engagement;
}

/** The timelines of engagements the caller read as the coach's (a page of the list), in one statement. */
export function timelinesOf(db: Db, engagements: Engagement[]): Promise<Map<string, StageEntry[]>> {
  return repo.listStageEntriesOf(db, engagements.map((engagement) => engagement.id));
}

export async function stageTimeline(db: Db, coachId: string, id: string): Promise<StageEntry[]> {
  await getEngagement(db, coachId, id);
  return repo.listStageEntries(db, id);
}

/** The coach's note at the close of the engagement, printed on its summary. */
export async function saveClosingNote(db: Db, clock: Clock, coachId: string, id: string, note: string): Promise<void> {
  const engagement = await getEngagement(db, coachId, id);
  await repo.updateClosingNote(db, engagement.id, note, clock.now().toISOString());
}
