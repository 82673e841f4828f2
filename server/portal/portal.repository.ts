import type { Db } from '../db/schema';
import type { Language } from '../i18n/languages';
import { languageOf } from '../rounds/round-languages';
import type { InvitationStatus, RaterGroup, RoundPurpose } from '../rounds/rounds.types';

/** The kinds of email that list a rater's surveys and may travel together (round-emails.ts surveyEmail). */
export const SURVEY_EMAIL_KINDS = ['survey-invitation', 'survey-reminder'] as const;

/** One invitation of a rater in an open round, with what the portal page and the combined email say about it. */
export interface RaterSurveyRecord {
  invitationId: string;
  email: string;
  raterName: string;
  status: InvitationStatus;
  hasDraft: boolean;
  roundId: string;
  purpose: RoundPurpose;
  deadline: string;
  launchedAt: string;
  message: string;
  k: number;
  clientName: string;
  group: RaterGroup;
  /** The invitation's language: its survey page opens in it. */
  language: Language;
}

/** A survey email not tried yet that other emails may still join (a carrier, or a message that can become one). */
export interface UnsentSurveyEmail {
  id: string;
  recipient: string;
  invitationId: string;
  kind: string;
  nextAttemptAt: string;
}

/** An email travelling in an unsent carrier (QueuedEmail.carrierId). */
export interface RiderEmail {
  id: string;
  carrierId: string;
  invitationId: string;
  kind: string;
}

function surveysOfCoach(db: Db, coachId: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('rounds', 'rounds.id', 'invitations.round_id')
    .innerJoin('engagements', 'engagements.id', 'rounds.engagement_id')
    .innerJoin('rater_groups', (join) => join.onRef('rater_groups.round_id', '=', 'invitations.round_id').onRef('rater_groups.key', '=', 'invitations.group_key'))
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.name',
      'invitations.status',
      'invitations.language',
      'rounds.id as round_id',
      'rounds.purpose',
      'rounds.deadline',
      'rounds.launched_at',
      'rounds.message',
      'rounds.k',
      'engagements.client_name',
      'rater_groups.key as group_key',
      'rater_groups.label as group_label',
      'rater_groups.minimum as group_minimum',
      'rater_groups.anonymous as group_anonymous',
      'rater_groups.is_self as group_self',
      (eb) => eb.exists(eb.selectFrom('drafts').select('drafts.invitation_id').whereRef('drafts.invitation_id', '=', 'invitations.id')).as('has_draft'),
    ])
    .where('rounds.coach_id', '=', coachId)
    .where('rounds.status', '=', 'open')
    .where('rounds.launched_at', 'is not', null)
    .orderBy('rounds.deadline')
    .orderBy('engagements.client_name')
    .orderBy('rounds.id');
}

type SurveyRow = Awaited<ReturnType<ReturnType<typeof surveysOfCoach>['execute']>>[number];

function toRecord(row: SurveyRow): RaterSurveyRecord {
  return {
    invitationId: row.id,
    email: row.email,
    raterName: row.name,
    status: row.status,
    hasDraft: Boolean(Number(row.has_draft)),
    roundId: row.round_id,
    purpose: row.purpose,
    deadline: row.deadline,
    launchedAt: row.launched_at ?? '',
    message: row.message,
    k: Number(row.k),
    clientName: row.client_name,
    group: { key: row.group_key, label: row.group_label, minimum: Number(row.group_minimum), anonymous: Number(row.group_anonymous) === 1, self: Number(row.group_self) === 1 },
    language: languageOf(row.language),
  };
}

/**
 * Every survey these addresses still owe the coach: invitations not answered or declined, in the
 * coach's open rounds whose deadline is still ahead, and the invitations being sent now (`sending`,
 * whatever their deadline: the coach may remind or add raters until the round is closed).
 * Addresses are compared in lower case (the client's own address is stored as the coach typed it).
 */
export async function listOwedSurveys(db: Db, coachId: string, addresses: readonly string[], now: string, sending: readonly string[]): Promise<RaterSurveyRecord[]> {
  if (addresses.length === 0) return [];
  const rows = await surveysOfCoach(db, coachId)
    .where((eb) => eb(eb.fn('lower', ['invitations.email']), 'in', addresses))
    .where((eb) =>
      eb.or([
        eb.and([eb('invitations.status', 'in', ['pending', 'invited', 'opened']), eb('rounds.deadline', '>', now)]),
        ...(sending.length ? [eb('invitations.id', 'in', sending)] : []),
      ]),
    )
    .execute();
  return rows.map(toRecord);
}

/** Every survey of these addresses in the coach's open rounds, answered or not (the portal page). */
export async function listOpenSurveys(db: Db, coachId: string, addresses: readonly string[]): Promise<RaterSurveyRecord[]> {
  if (addresses.length === 0) return [];
  const rows = await surveysOfCoach(db, coachId).where((eb) => eb(eb.fn('lower', ['invitations.email']), 'in', addresses)).execute();
  return rows.map(toRecord);
}

/**
 * Locks (for this transaction) the coach's survey emails to these addresses that no worker has
 * tried yet and that travel on their own: the ones new emails to the same person may still join.
 * The conditions are on the update itself, so on PostgreSQL a message a worker claimed meanwhile
 * is re-checked after the wait and left out; the worker's claim skips the rows locked here.
 */
export async function lockUnsentSurveyEmails(db: Db, coachId: string, addresses: readonly string[]): Promise<UnsentSurveyEmail[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .updateTable('outbox')
    .set((eb) => ({ next_attempt_at: eb.ref('next_attempt_at') }))
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .where('carrier_id', 'is', null)
    .where('kind', 'in', SURVEY_EMAIL_KINDS)
    .where((eb) => eb(eb.fn('lower', ['recipient']), 'in', addresses))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('invitations')
          .innerJoin('rounds', 'rounds.id', 'invitations.round_id')
          .select('invitations.id')
          .whereRef('invitations.id', '=', 'outbox.invitation_id')
          .where('rounds.coach_id', '=', coachId),
      ),
    )
    .returning(['id', 'recipient', 'invitation_id', 'kind', 'next_attempt_at'])
    .execute();
  return rows.map((row) => ({ id: row.id, recipient: row.recipient, invitationId: row.invitation_id ?? '', kind: row.kind, nextAttemptAt: row.next_attempt_at }));
}

/**
 * Puts these unsent emails, and the ones travelling in them, into `carrier` (two raced to carry
 * for the same person); the page links made for them, never sent, are deleted.
 */
export async function joinCarrier(db: Db, ids: readonly string[], carrier: UnsentSurveyEmail): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ carrier_id: carrier.id, next_attempt_at: carrier.nextAttemptAt })
    .where((eb) => eb.or([eb('id', 'in', ids), eb('carrier_id', 'in', ids)]))
    .where('status', '=', 'pending')
    .execute();
  await db.deleteFrom('portal_links').where('outbox_id', 'in', ids).execute();
}

/** The emails travelling in these unsent carriers. */
export async function listRiders(db: Db, carrierIds: readonly string[]): Promise<RiderEmail[]> {
  if (carrierIds.length === 0) return [];
  const rows = await db.selectFrom('outbox').select(['id', 'carrier_id', 'invitation_id', 'kind']).where('carrier_id', 'in', carrierIds).where('status', '=', 'pending').execute();
  return rows.map((row) => ({ id: row.id, carrierId: row.carrier_id ?? '', invitationId: row.invitation_id ?? '', kind: row.kind }));
}

export async function insertPortalLink(db: Db, link: { id: string; tokenHash: string; coachId: string; outboxId: string }): Promise<void> {
  await db.insertInto('portal_links').values({ id: link.id, token_hash: link.tokenHash, coach_id: link.coachId, outbox_id: link.outboxId }).execute();
}

/** Gives the link made for this unsent email a new token; its id, or undefined when there is none. */
export async function renewPortalLinkToken(db: Db, outboxId: string, tokenHash: string): Promise<string | undefined> {
  const row = await db.updateTable('portal_links').set({ token_hash: tokenHash }).where('outbox_id', '=', outboxId).returning('id').executeTakeFirst();
  return row?.id;
}

export async function attachPortalInvitations(db: Db, linkId: string, invitationIds: readonly string[]): Promise<void> {
  if (invitationIds.length === 0) return;
  await db
    .insertInto('portal_link_invitations')
    .values(invitationIds.map((invitationId) => ({ link_id: linkId, invitation_id: invitationId })))
    .onConflict((conflict) => conflict.columns(['link_id', 'invitation_id']).doNothing())
    .execute();
}

export interface PortalLinkRecord {
  id: string;
  coachId: string;
  coach: { name: string; email: string };
}

export async function findPortalLink(db: Db, tokenHash: string): Promise<PortalLinkRecord | undefined> {
  const row = await db
    .selectFrom('portal_links')
    .innerJoin('coaches', 'coaches.id', 'portal_links.coach_id')
    .select(['portal_links.id', 'portal_links.coach_id', 'coaches.name', 'coaches.email'])
    .where('portal_links.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { id: row.id, coachId: row.coach_id, coach: { name: row.name, email: row.email } };
}

/**
 * The addresses a link was sent to, found through its invitations in the coach's rounds. Erased
 * invitations (privacy, retention) name no one any more; deleted ones are gone with their rows.
 */
export async function listLinkAddresses(db: Db, linkId: string, coachId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('portal_link_invitations')
    .innerJoin('invitations', 'invitations.id', 'portal_link_invitations.invitation_id')
    .innerJoin('rounds', 'rounds.id', 'invitations.round_id')
    .select((eb) => eb.fn<string>('lower', ['invitations.email']).as('address'))
    .distinct()
    .where('portal_link_invitations.link_id', '=', linkId)
    .where('rounds.coach_id', '=', coachId)
    .where('invitations.email', 'not like', 'erased-%')
    .execute();
  return rows.map((row) => row.address);
}

/** Survey links the portal page hands out; a link already stored is left as it is. */
export async function insertSurveyTokens(db: Db, tokens: ReadonlyArray<{ invitationId: string; tokenHash: string }>): Promise<void> {
  if (tokens.length === 0) return;
  await db
    .insertInto('invitation_tokens')
    .values(tokens.map((token) => ({ token_hash: token.tokenHash, invitation_id: token.invitationId })))
    .onConflict((conflict) => conflict.column('token_hash').doNothing())
    .execute();
}
