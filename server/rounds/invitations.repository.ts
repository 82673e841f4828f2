import type { Db, InvitationRow } from '../db/schema';
import type { Language } from '../i18n/languages';
import { pageOf, type Page, type PageRequest } from '../lists';
import { noInvitations, tallyInvitations } from './round-rules';
import { languageOf } from './round-languages';
import type { Invitation, InvitationCounts, InvitationStatus } from './rounds.types';

export function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    roundId: row.round_id,
    groupKey: row.group_key,
    email: row.email,
    name: row.name,
    isClient: row.is_client === 1,
    status: row.status,
    statusOn: row.status_on,
    declineReason: row.decline_reason,
    lastRemindedOn: row.last_reminded_on,
    language: languageOf(row.language),
  };
}

async function nextPosition(db: Db, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.max<number>('position').as('last'))
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

export type NewInvitation = Pick<Invitation, 'id' | 'groupKey' | 'email' | 'name' | 'isClient' | 'status' | 'statusOn' | 'language'>;

export async function insertInvitations(db: Db, roundId: string, invitations: NewInvitation[]): Promise<void> {
  if (invitations.length === 0) return;
  const start = await nextPosition(db, roundId);
  await db
    .insertInto('invitations')
    .values(
      invitations.map((invitation, index) => ({
        id: invitation.id,
        round_id: roundId,
        group_key: invitation.groupKey,
        email: invitation.email,
        name: invitation.name,
        is_client: invitation.isClient ? 1 : 0,
        status: invitation.status,
        status_on: invitation.statusOn,
        position: start + index,
        language: invitation.language,
      })),
    )
    .execute();
}

export async function listInvitations(db: Db, roundId: string): Promise<Invitation[]> {
  const rows = await db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  return rows.map(toInvitation);
}

/** A page of a round's invitations in the order they were added (by `position`, unique in a round). */
export async function listInvitationsPage(db: Db, roundId: string, page: PageRequest<[number]>): Promise<Page<Invitation>> {
  let query = db.selectFrom('invitations').selectAll().where('round_id', '=', roundId);
  if (page.after) query = query.where('position', '>', page.after[0]);
  const rows = await query.orderBy('position').limit(page.limit + 1).execute();
  const found = pageOf(rows, page.limit, (row) => [row.position]);
  return { items: found.items.map(toInvitation), next: found.next };
}

export async function findInvitation(db: Db, roundId: string, id: string): Promise<Invitation | undefined> {
  const row = await db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();
  return row && toInvitation(row);
}

export async function deleteInvitation(db: Db, roundId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('invitations').where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Pending invitations become invited when their email is queued. */
export async function markInvitationsInvited(db: Db, ids: string[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('invitations').set({ status: 'invited', status_on: day }).where('id', 'in', ids).where('status', '=', 'pending').execute();
}

export async function markInvitationsReminded(db: Db, ids: string[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('invitations').set({ last_reminded_on: day }).where('id', 'in', ids).execute();
}

export async function insertInvitationTokens(db: Db, tokens: Array<{ invitationId: string; tokenHash: string }>): Promise<void> {
  for (let start = 0; start < tokens.length; start += 500) {
    const chunk = tokens.slice(start, start + 500).map((token) => ({ token_hash: token.tokenHash, invitation_id: token.invitationId }));
    await db.insertInto('invitation_tokens').values(chunk).execute();
  }
}

/** Counts per group and status, for the round page and the report's invited counts. */
export async function countInvitationsByGroupAndStatus(db: Db, roundId: string): Promise<Array<{ groupKey: string; status: InvitationStatus; count: number }>> {
  const rows = await db
    .selectFrom('invitations')
    .select(['group_key', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('round_id', '=', roundId)
    .groupBy(['group_key', 'status'])
    .execute();
  return rows.map((row) => ({ groupKey: row.group_key, status: row.status, count: Number(row.count) }));
}

/**
 * Invitation counts of many rounds at once, in one statement: every round of an engagement (the
 * engagement page), or the rounds with the given ids (a page of the engagement list). Rounds
 * without invitations are absent from the map.
 */
export async function countInvitationsOfRounds(db: Db, rounds: { engagementId: string } | { ids: string[] }): Promise<Map<string, InvitationCounts>> {
  if ('ids' in rounds && rounds.ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('invitations')
    .select(['round_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .$if('ids' in rounds, (query) => query.where('round_id', 'in', (rounds as { ids: string[] }).ids))
    .$if('engagementId' in rounds, (query) =>
      query.where('round_id', 'in', (eb) => eb.selectFrom('rounds').select('id').where('engagement_id', '=', (rounds as { engagementId: string }).engagementId)),
    )
    .groupBy(['round_id', 'status'])
    .execute();
  const counts = new Map<string, InvitationCounts>();
  for (const row of rows) {
    const round = counts.get(row.round_id) ?? noInvitations();
    tallyInvitations(round, row.status, Number(row.count));
    counts.set(row.round_id, round);
  }
  return counts;
}

/** How many email addresses were invited to both rounds: a count only, never who. */
export async function countRatersInBoth(db: Db, firstRoundId: string, secondRoundId: string): Promise<number> {
  const row = await db
    .selectFrom('invitations as first')
    .innerJoin('invitations as second', 'second.email', 'first.email')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('first.round_id', '=', firstRoundId)
    .where('second.round_id', '=', secondRoundId)
    .where('first.status', '!=', 'pending')
    .where('second.status', '!=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The language a rater reads the survey and its emails in (the coach's choice, or the rater's on the survey page). */
export async function setInvitationLanguage(db: Db, roundId: string, id: string, language: Language): Promise<boolean> {
  const result = await db.updateTable('invitations').set({ language }).where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * How many raters other than the client read the round in each language, declined ones left out:
 * they give no comment for anybody's to hide among (the language-k warning on the survey).
 */
export async function countRatersByLanguage(db: Db, roundId: string): Promise<Map<Language, number>> {
  const rows = await db
    .selectFrom('invitations')
    .select(['language', (eb) => eb.fn.countAll<number>().as('count')])
    .where('round_id', '=', roundId)
    .where('is_client', '=', 0)
    .where('status', '!=', 'declined')
    .groupBy('language')
    .execute();
  return new Map(rows.map((row) => [languageOf(row.language), Number(row.count)]));
}

/**
 * The client's self-assessment in the engagement's rounds not launched yet, in `language` (the
 * engagement's new one); a launched round keeps the language its invitation went out in.
 */
export async function setDraftClientLanguage(db: Db, engagementId: string, language: Language): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ language })
    .where('is_client', '=', 1)
    .where('round_id', 'in', db.selectFrom('rounds').select('id').where('engagement_id', '=', engagementId).where('status', '=', 'draft'))
    .execute();
}
