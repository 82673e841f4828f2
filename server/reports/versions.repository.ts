import type { Db } from '../db/schema';
import type { RoundPurpose } from '../rounds/rounds.types';
import type { Answers, VersionedResponse } from '../survey/survey.repository';

/** An engagement's rounds of one purpose that have a published version: what the pulse trend reads at once. */
export interface PublishedRounds {
  engagementId: string;
  purpose: RoundPurpose;
}

/** One published version of a round's figures. */
export interface RoundVersion {
  version: number;
  /** The day it was published. */
  publishedOn: string;
  /** Invitations per group key at that moment. */
  invited: Record<string, number>;
}

function toRoundVersion(row: { version: number; published_on: string; invited: string }): RoundVersion {
  return { version: Number(row.version), publishedOn: row.published_on, invited: JSON.parse(row.invited) as Record<string, number> };
}

export async function listRoundVersions(db: Db, roundId: string): Promise<RoundVersion[]> {
  const rows = await db.selectFrom('round_versions').select(['version', 'published_on', 'invited']).where('round_id', '=', roundId).orderBy('version').execute();
  return rows.map(toRoundVersion);
}

/** The latest published version of each of the rounds, in one statement. */
export async function listLatestVersions(db: Db, rounds: PublishedRounds): Promise<Map<string, RoundVersion>> {
  const rows = await db
    .selectFrom('round_versions')
    .innerJoin('rounds', (join) => join.onRef('rounds.id', '=', 'round_versions.round_id').onRef('rounds.published_version', '=', 'round_versions.version'))
    .select(['round_versions.round_id', 'round_versions.version', 'round_versions.published_on', 'round_versions.invited'])
    .where('rounds.engagement_id', '=', rounds.engagementId)
    .where('rounds.purpose', '=', rounds.purpose)
    .execute();
  return new Map(rows.map((row) => [row.round_id, toRoundVersion(row)]));
}

/** The published responses of each of the rounds (those in a version), in one statement. */
export async function listPublishedResponses(db: Db, rounds: PublishedRounds): Promise<Map<string, VersionedResponse[]>> {
  const rows = await db
    .selectFrom('responses')
    .innerJoin('rounds', 'rounds.id', 'responses.round_id')
    .select(['responses.round_id', 'responses.group_key', 'responses.answers', 'responses.version'])
    .where('rounds.engagement_id', '=', rounds.engagementId)
    .where('rounds.purpose', '=', rounds.purpose)
    .where('responses.version', 'is not', null)
    .orderBy('responses.round_id')
    .orderBy('responses.id')
    .execute();
  const responses = new Map<string, VersionedResponse[]>();
  for (const row of rows) {
    const list = responses.get(row.round_id) ?? [];
    list.push({ groupKey: row.group_key, answers: JSON.parse(row.answers) as Answers, version: Number(row.version) });
    responses.set(row.round_id, list);
  }
  return responses;
}

/**
 * Publishes version `latest + 1` with every response in no version yet. Only when the round's
 * latest version is still `latest`: of two instances deciding at once, one publishes.
 */
export async function publishRoundVersion(db: Db, roundId: string, latest: number, day: string, invited: Record<string, number>): Promise<boolean> {
  const version = latest + 1;
  const claimed = await db.updateTable('rounds').set({ published_version: version }).where('id', '=', roundId).where('published_version', '=', latest).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return false;
  await db.insertInto('round_versions').values({ round_id: roundId, version, published_on: day, invited: JSON.stringify(invited) }).execute();
  await db.updateTable('responses').set({ version }).where('round_id', '=', roundId).where('version', 'is', null).execute();
  return true;
}

/** Responses of the round in no published version yet. */
export async function countUnpublishedResponses(db: Db, roundId: string): Promise<number> {
  const row = await db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('count')).where('round_id', '=', roundId).where('version', 'is', null).executeTakeFirst();
  return Number(row?.count ?? 0);
}
