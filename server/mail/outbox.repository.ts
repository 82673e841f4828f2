import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/schema';
import type { DatabaseKind } from '../db/connect';
import type { NewOutboxRow, OutboxRow, OutboxTable } from '../db/schema';
import { pageOf, type Page, type PageRequest } from '../lists';

export interface StoredMessage {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  date: string;
}

export interface OutboxEntry {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  messageId: string;
  message: StoredMessage | null;
  actionUrl: string | null;
  roundId: string | null;
  invitationId: string | null;
  status: OutboxRow['status'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  forgetWhenDone: boolean;
}

/** What a message's delivery state is read from (outbox.service deliveryOf), without its body. */
export type DeliveryRecord = Pick<OutboxEntry, 'id' | 'kind' | 'recipient' | 'subject' | 'invitationId' | 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'createdAt' | 'sentAt'>;

type DeliveryColumns = Pick<OutboxRow, 'id' | 'kind' | 'recipient' | 'subject' | 'invitation_id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'created_at' | 'sent_at'>;

function toDeliveryRecord(row: DeliveryColumns): DeliveryRecord {
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    invitationId: row.invitation_id,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    ...toDeliveryRecord(row),
    messageId: row.message_id,
    message: row.message ? (JSON.parse(row.message) as StoredMessage) : null,
    actionUrl: row.action_url,
    roundId: row.round_id,
    forgetWhenDone: Number(row.forget_when_done) === 1,
  };
}

/** 14 columns × 200 rows stays under every driver's limit of bound parameters. */
const ROWS_PER_INSERT = 200;

export async function insertOutboxMessages(db: Db, rows: NewOutboxRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await db.insertInto('outbox').values(rows.slice(start, start + ROWS_PER_INSERT)).execute();
  }
}

/**
 * Claims up to `limit` due messages for this worker until `leaseUntil`: pending ones whose time has
 * come, and ones whose previous claimer died mid-send (lease expired). On PostgreSQL the inner
 * select skips rows another instance has locked, so two workers never claim the same message; on
 * SQLite the single writer lock gives the same guarantee. A message that travels in another one
 * (a rider, QueuedEmail.carrierId) is claimed only once that carrier is gone.
 */
export async function claimDueMessages(
  db: Db,
  kind: DatabaseKind,
  claim: { now: string; leaseUntil: string; limit: number },
): Promise<OutboxEntry[]> {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'pending'),
          eb('next_attempt_at', '<=', claim.now),
          eb.or([eb('carrier_id', 'is', null), eb.not(eb.exists(eb.selectFrom('outbox as carrier').select('carrier.id').whereRef('carrier.id', '=', 'outbox.carrier_id')))]),
        ]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<=', claim.now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(claim.limit)
    .$if(kind === 'postgres', (query) => query.forUpdate().skipLocked());
  const rows = await db
    .updateTable('outbox')
    .set({ status: 'sending', lease_until: claim.leaseUntil, attempts: sql`attempts + 1` })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toEntry);
}

/**
 * A worker's hold on a message: the claim that raised `attempts` to this value. Every later write
 * names it, so a worker whose claim ran out (and was taken over by another) changes nothing.
 */
export type Claim = Pick<OutboxEntry, 'id' | 'attempts'>;

function updateClaimed(db: Db, claim: Claim) {
  return db.updateTable('outbox').where('id', '=', claim.id).where('status', '=', 'sending').where('attempts', '=', claim.attempts);
}

/**
 * Records what became of a claimed message, and of the messages that travelled in it (its riders),
 * in one transaction: a rider was sent, deferred or refused exactly when its carrier was, so the
 * delivery state of each invitation stays true. False when another worker holds the claim now.
 */
async function settleClaimed(db: Db, claim: Claim, changes: Updateable<OutboxTable>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await updateClaimed(trx, claim).set(changes).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await trx.updateTable('outbox').set({ ...changes, attempts: claim.attempts }).where('carrier_id', '=', claim.id).where('status', '=', 'pending').execute();
    return true;
  });
}

/** Extends a claim just before the message is sent; false when another worker holds it now. */
export async function renewClaim(db: Db, claim: Claim, leaseUntil: string): Promise<boolean> {
  const result = await updateClaimed(db, claim).set({ lease_until: leaseUntil }).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Deletes a claimed message that is done with (sent or failed for good) and must not be kept
 * (QueuedEmail.forgetWhenDone); false when another worker holds it now.
 */
export async function forgetMessage(db: Db, claim: Claim): Promise<boolean> {
  const result = await db.deleteFrom('outbox').where('id', '=', claim.id).where('status', '=', 'sending').where('attempts', '=', claim.attempts).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Marks a claimed message (and its riders) sent. The bodies (which hold links) are erased unless they must stay visible. */
export function markMessageSent(db: Db, claim: Claim, sentAt: string, keepBody: boolean): Promise<boolean> {
  return settleClaimed(db, claim, {
    status: 'sent',
    sent_at: sentAt,
    lease_until: null,
    last_error: null,
    ...(keepBody ? {} : { message: null, action_url: null }),
  });
}

export function scheduleMessageRetry(db: Db, claim: Claim, nextAttemptAt: string, error: string): Promise<boolean> {
  return settleClaimed(db, claim, { status: 'pending', next_attempt_at: nextAttemptAt, lease_until: null, last_error: error });
}

/** Marks a message (and its riders) failed for good. It is never retried, so the bodies (and the links in them) are erased unless they must stay visible. */
export function markMessageFailed(db: Db, claim: Claim, error: string, keepBody: boolean): Promise<boolean> {
  return settleClaimed(db, claim, { status: 'failed', lease_until: null, last_error: error, ...(keepBody ? {} : { message: null, action_url: null }) });
}

/** A new subject and body for a message no worker has tried yet (attempts 0, pending); false otherwise. */
export async function rewriteUnsentMessage(db: Db, id: string, subject: string, message: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ subject, message })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listRoundMessages(db: Db, roundId: string): Promise<OutboxEntry[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('round_id', '=', roundId).orderBy('created_at').execute();
  return rows.map(toEntry);
}

function deliveryRecords(db: Db, roundId: string) {
  // Messages forgotten once sent (thank-yous) are not the coach's to follow, and are left out.
  return db
    .selectFrom('outbox')
    .select(['id', 'kind', 'recipient', 'subject', 'invitation_id', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'sent_at'])
    .where('round_id', '=', roundId)
    .where('forget_when_done', '=', 0);
}

/** The emails of a round to these invitations (every one, older ones too: the caller picks the latest). */
export async function listInvitationDeliveries(db: Db, roundId: string, invitationIds: string[]): Promise<DeliveryRecord[]> {
  if (invitationIds.length === 0) return [];
  const rows = await deliveryRecords(db, roundId).where('invitation_id', 'in', invitationIds).execute();
  return rows.map(toDeliveryRecord);
}

/** A round's messages deferred (tried, to be tried again) or failed for good. */
export async function listDeliveryProblems(db: Db, roundId: string): Promise<DeliveryRecord[]> {
  const rows = await deliveryRecords(db, roundId)
    .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]))
    .execute();
  return rows.map(toDeliveryRecord);
}

/** Outbox conditions of each delivery state (outbox.service deliveryOf, in SQL). */
export type DeliveryStateFilter = 'queued' | 'sending' | 'deferred' | 'delivered' | 'failed';

/** A page of a round's emails, oldest first, optionally only those in one delivery state. */
export async function listRoundDeliveriesPage(db: Db, roundId: string, state: DeliveryStateFilter | null, page: PageRequest<[string, string]>): Promise<Page<DeliveryRecord>> {
  let query = deliveryRecords(db, roundId);
  if (state === 'queued') query = query.where('status', '=', 'pending').where('attempts', '=', 0);
  if (state === 'deferred') query = query.where('status', '=', 'pending').where('attempts', '>', 0);
  if (state === 'sending') query = query.where('status', '=', 'sending');
  if (state === 'delivered') query = query.where('status', '=', 'sent');
  if (state === 'failed') query = query.where('status', '=', 'failed');
  if (page.after) {
    const [createdAt, id] = page.after;
    query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute();
  const found = pageOf(rows, page.limit, (row) => [row.created_at, row.id]);
  return { items: found.items.map(toDeliveryRecord), next: found.next };
}

export async function countMessagesByStatus(db: Db): Promise<Record<OutboxRow['status'], number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Drops a round's unsent messages (used for demo data, whose recipients are fictional). */
export async function deleteUnsentRoundMessages(db: Db, roundId: string): Promise<number> {
  const result = await db.deleteFrom('outbox').where('round_id', '=', roundId).where('status', 'in', ['pending', 'failed']).executeTakeFirst();
  return Number(result.numDeletedRows);
}
