import type { Db } from '../db/schema';

/** One published version of a round's figures. */
export interface RoundVersion {
  version: number;
  /** The day it was published. */
  publishedOn: string;
  /** Invitations per group key at that moment. */
  invited: Record<string, number>;
}

export async function listRoundVersions(db: Db, roundId: string): Promise<RoundVersion[]> {
  const rows = await db.selectFrom('round_versions').select(['version', 'published_on', 'invited']).where('round_id', '=', roundId).orderBy('version').execute();
  return rows.map((row) => ({ version: Number(row.version), publishedOn: row.published_on, invited: JSON.parse(row.invited) as Record<string, number> }));
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
