import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { newId } from '../secrets';
import type { TemplateData, Views } from '../views';
import type { NewOutboxRow } from '../db/schema';
import * as outbox from './outbox.repository';
import type { DeliveryRecord, DeliveryStateFilter, StoredMessage } from './outbox.repository';
import type { Page, PageRequest } from '../lists';

/** What building an email needs besides the database: templates, sender, time, and where links point. */
export interface MailContext {
  views: Views;
  clock: Clock;
  from: string;
  publicUrl: string;
  /** False when no SMTP server is configured and messages are written as .eml files instead. */
  deliversEmail: boolean;
  /** How long survey invitations and reminders wait, so that several for one person go as one email (Config.surveyEmailHoldSeconds). */
  surveyEmailHoldSeconds: number;
  /** The practice's sender, reply-to and look, read when emails are queued (server/branding). */
  identity(db: Db): Promise<MailIdentity>;
}

/** Who every email is from, where replies go, and what the email layout shows of the practice. */
export interface MailIdentity {
  /** The From header; `from` above when the practice sets no sender name. */
  from: string;
  /** When set, the Reply-To of every email, instead of each email's own (its coach's address). */
  replyTo: string | null;
  /** `practice` in views/layouts/email.hbs and the text footer. */
  layout: TemplateData;
}

export interface QueuedEmail {
  kind: string;
  to: string;
  replyTo?: string;
  subject: string;
  /** `views/email/<template>.html.hbs` and `.text.hbs`. */
  template: string;
  data: TemplateData;
  /** The one link the message is about (kept visible to the coach when email is not configured). */
  actionUrl?: string;
  roundId?: string;
  invitationId?: string;
  /**
   * Deleted from the outbox once sent or failed for good, and dated by the day only while it
   * waits: for messages whose moment would tell when someone answered (the thank-you after a
   * submission), so the database keeps no order of submissions (docs/anonymity.md, rule 6).
   */
  forgetWhenDone?: boolean;
  /** Not sent before this moment (now when absent). */
  sendAfter?: Date;
  /**
   * The unsent message this one travels in: the carrier's body says what this one would have
   * said, so this one is never sent on its own while the carrier exists; it takes the carrier's
   * delivery state instead (outbox.repository settleRiders). Sent on its own if the carrier is
   * deleted before it went.
   */
  carrierId?: string;
}

/**
 * Renders emails and stores them in the outbox. Call it with the same transaction as the change
 * that causes them, so either both happen or neither does; the worker sends them afterwards.
 * Everything is rendered first and stored with a few multi-row inserts: a launch of 1,000 raters
 * is a handful of statements, not a thousand.
 */
export async function queueEmails(db: Db, mail: MailContext, emails: QueuedEmail[]): Promise<string[]> {
  const identity = await mail.identity(db);
  const rows = emails.map((email) => outboxRow(mail, identity, email));
  await outbox.insertOutboxMessages(db, rows);
  return rows.map((row) => row.id);
}

export async function queueEmail(db: Db, mail: MailContext, email: QueuedEmail): Promise<string> {
  const [id] = await queueEmails(db, mail, [email]);
  return id!;
}

/** The message as it will be handed to the mail server, rendered from its template. */
function storedMessage(mail: MailContext, identity: MailIdentity, email: QueuedEmail): StoredMessage {
  const { html, text } = mail.views.email(email.template, { ...email.data, subject: email.subject, publicUrl: mail.publicUrl, practice: identity.layout });
  const replyTo = identity.replyTo ?? email.replyTo;
  return {
    from: identity.from,
    to: email.to,
    ...(replyTo ? { replyTo } : {}),
    subject: email.subject,
    text,
    html,
    date: mail.clock.now().toISOString(),
  };
}

function outboxRow(mail: MailContext, identity: MailIdentity, email: QueuedEmail): NewOutboxRow {
  const now = mail.clock.now().toISOString();
  const forget = email.forgetWhenDone === true;
  const id = newId();
  const message = storedMessage(mail, identity, email);
  return {
    id,
    kind: email.kind,
    recipient: email.to,
    subject: email.subject,
    message: JSON.stringify(message),
    action_url: email.actionUrl ?? null,
    message_id: `<${id}@${new URL(mail.publicUrl).hostname}>`,
    round_id: email.roundId ?? null,
    invitation_id: email.invitationId ?? null,
    status: 'pending',
    next_attempt_at: email.sendAfter?.toISOString() ?? now,
    created_at: forget ? dayOf(mail.clock.now()) : now,
    forget_when_done: forget ? 1 : 0,
    carrier_id: email.carrierId ?? null,
  };
}

/**
 * Gives a message that has not been tried yet a new subject and body (its recipient, kind, link
 * and time stay); false when a worker has claimed it meanwhile, and nothing changes. Call it in
 * the transaction that locked the message (see portal.repository lockUnsentSurveyEmails).
 */
export async function rewriteUnsentEmail(db: Db, mail: MailContext, id: string, email: Pick<QueuedEmail, 'to' | 'replyTo' | 'subject' | 'template' | 'data'>): Promise<boolean> {
  const message = storedMessage(mail, await mail.identity(db), { ...email, kind: '' });
  return outbox.rewriteUnsentMessage(db, id, email.subject, JSON.stringify(message));
}

/**
 * Where a message stands, in the words the coach sees: waiting for its first try, being handed to
 * the mail server, deferred (a try failed for now; `nextAttemptAt` and the server's `lastAnswer`
 * say when and why), delivered (accepted by the mail server, or written as a file without SMTP),
 * or failed for good (`lastAnswer` says why).
 */
export type DeliveryState = 'queued' | 'sending' | 'deferred' | 'delivered' | 'failed';

export interface Delivery {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastAnswer: string | null;
}

/**
 * @example
 * deliveryOf({ status: 'pending', attempts: 2, nextAttemptAt: '2026-12-04T10:02:00Z', lastError: '451 Try again later', ... });
 * // { state: 'deferred', attempts: 2, nextAttemptAt: '2026-12-04T10:02:00Z', lastAnswer: '451 Try again later' }
 */
export function deliveryOf(entry: Pick<DeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError'>): Delivery {
  const state: DeliveryState =
    entry.status === 'sent' ? 'delivered' : entry.status === 'failed' ? 'failed' : entry.status === 'sending' ? 'sending' : entry.attempts > 0 ? 'deferred' : 'queued';
  return {
    state,
    attempts: entry.attempts,
    nextAttemptAt: state === 'queued' || state === 'deferred' ? entry.nextAttemptAt : null,
    lastAnswer: state === 'delivered' || state === 'queued' ? null : entry.lastError,
  };
}

/** The delivery of each invitation's latest email (its invitation or a reminder), by invitation id. */
export function latestDeliveries(records: readonly DeliveryRecord[]): Map<string, InvitationDelivery> {
  const latest = new Map<string, DeliveryRecord>();
  for (const record of records) {
    if (!record.invitationId) continue;
    const seen = latest.get(record.invitationId);
    if (!seen || seen.createdAt <= record.createdAt) latest.set(record.invitationId, record);
  }
  return new Map([...latest].map(([invitationId, record]) => [invitationId, { ...deliveryOf(record), kind: record.kind, subject: record.subject }]));
}

export type InvitationDelivery = Delivery & { kind: string; subject: string };

/** Messages that met the same answer from the mail server, and who they were for. */
export interface ProblemGroup {
  lastAnswer: string;
  count: number;
  /** The first recipients (sorted), `more` the rest: a summary stays short when a whole round is deferred. */
  recipients: string[];
  more: number;
  /** Deferred only: the earliest next try among them. */
  nextAttemptAt: string | null;
}

export interface DeliveryProblems {
  deferred: ProblemGroup[];
  failed: ProblemGroup[];
  /** Messages (not groups) in each state. */
  counts: { deferred: number; failed: number };
}

const RECIPIENTS_SHOWN = 10;

/**
 * What the coach should see first: messages not delivered yet after a try, and those that never
 * will be, grouped by the mail server's answer. One outage defers every message of a round with
 * the same answer; a few bad addresses fail with their own.
 */
export function deliveryProblems(records: readonly DeliveryRecord[]): DeliveryProblems {
  const groups = { deferred: new Map<string, DeliveryRecord[]>(), failed: new Map<string, DeliveryRecord[]>() };
  for (const record of records) {
    const { state, lastAnswer } = deliveryOf(record);
    if (state !== 'deferred' && state !== 'failed') continue;
    const answer = lastAnswer ?? 'No answer recorded';
    groups[state].set(answer, [...(groups[state].get(answer) ?? []), record]);
  }
  const summarise = (byAnswer: Map<string, DeliveryRecord[]>, deferred: boolean): ProblemGroup[] =>
    [...byAnswer]
      .map(([lastAnswer, members]) => {
        const recipients = [...new Set(members.map((member) => member.recipient))].sort();
        return {
          lastAnswer,
          count: members.length,
          recipients: recipients.slice(0, RECIPIENTS_SHOWN),
          more: Math.max(0, recipients.length - RECIPIENTS_SHOWN),
          nextAttemptAt: deferred ? members.map((member) => member.nextAttemptAt).sort()[0]! : null,
        };
      })
      .sort((a, b) => b.count - a.count || a.lastAnswer.localeCompare(b.lastAnswer));
  const count = (summary: ProblemGroup[]) => summary.reduce((sum, group) => sum + group.count, 0);
  const deferred = summarise(groups.deferred, true);
  const failed = summarise(groups.failed, false);
  return { deferred, failed, counts: { deferred: count(deferred), failed: count(failed) } };
}

/** The delivery problems of a round, summarised (deliveryProblems). */
export async function roundDeliveryProblems(db: Db, roundId: string): Promise<DeliveryProblems> {
  return deliveryProblems(await outbox.listDeliveryProblems(db, roundId));
}

/** The latest email of each of these invitations of a round, by invitation id. */
export async function invitationDeliveries(db: Db, roundId: string, invitationIds: string[]): Promise<Map<string, InvitationDelivery>> {
  return latestDeliveries(await outbox.listInvitationDeliveries(db, roundId, invitationIds));
}

/** A message with its delivery in the coach's words (the server's last answer as `lastAnswer`). */
export type MessageDelivery = Omit<DeliveryRecord, keyof Delivery | 'status' | 'lastError'> & Delivery;

/** A page of a round's emails with their delivery, optionally in one state. */
export async function roundDeliveriesPage(db: Db, roundId: string, state: DeliveryStateFilter | null, page: PageRequest<[string, string]>): Promise<Page<MessageDelivery>> {
  const found = await outbox.listRoundDeliveriesPage(db, roundId, state, page);
  return {
    items: found.items.map((record) => {
      const { status, lastError, ...message } = record;
      return { ...message, ...deliveryOf({ ...message, status, lastError }) };
    }),
    next: found.next,
  };
}
