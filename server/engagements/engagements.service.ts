import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { NotFoundError } from '../errors';
import { newId } from '../secrets';
import * as repo from './engagements.repository';
import type { Engagement, EngagementFields, StageEntry } from './engagements.types';
import type { Stage } from './stages';

export async function createEngagement(
  db: Db,
  clock: Clock,
  coachId: string,
  fields: EngagementFields & { stage: Stage },
): Promise<Engagement> {
  const id = newId();
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await repo.insertEngagement(trx, { ...fields, id, coachId, now });
    await repo.insertStageEntry(trx, { id: newId(), engagementId: id, stage: fields.stage, enteredOn: fields.startDate, recordedAt: now });
  });
  return getEngagement(db, coachId, id);
}

export async function getEngagement(db: Db, coachId: string, id: string): Promise<Engagement> {
  const engagement = await repo.findOwnEngagement(db, coachId, id);
  if (!engagement) throw new NotFoundError();
  return engagement;
}

/** Case- and accent-insensitive, so "emilie" finds "Émilie Durand". */
function searchKey(text: string): string {
  return text.normalize('NFKD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase();
}

export async function listEngagements(
  db: Db,
  coachId: string,
  filter: { search: string; stage: Stage | null; archived: boolean },
): Promise<Engagement[]> {
  const engagements = await repo.listOwnEngagements(db, coachId, filter);
  const wanted = searchKey(filter.search.trim());
  if (!wanted) return engagements;
  return engagements.filter((engagement) => searchKey(`${engagement.clientName} ${engagement.organisation}`).includes(wanted));
}

export async function updateEngagement(db: Db, clock: Clock, coachId: string, id: string, fields: EngagementFields): Promise<Engagement> {
  await getEngagement(db, coachId, id);
  await repo.updateEngagementFields(db, id, fields, clock.now().toISOString());
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

export async function stageTimeline(db: Db, coachId: string, id: string): Promise<StageEntry[]> {
  await getEngagement(db, coachId, id);
  return repo.listStageEntries(db, id);
}

/** The coach's note at the close of the engagement, printed on its summary. */
export async function saveClosingNote(db: Db, clock: Clock, coachId: string, id: string, note: string): Promise<void> {
  const engagement = await getEngagement(db, coachId, id);
  await repo.updateClosingNote(db, engagement.id, note, clock.now().toISOString());
}
