import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { newId } from '../secrets';
import type { TemplateData, Views } from '../views';
import type { NewOutboxRow } from '../db/schema';
import { insertOutboxMessages, type OutboxEntry, type StoredMessage } from './outbox.repository';

/** What building an email needs besides the database: templates, sender, time, and where links point. */
export interface MailContext {
  views: Views;
  clock: Clock;
  from: string;
  publicUrl: string;
  /** False when no SMTP server is configured and messages are written as .eml files instead. */
  deliversEmail: boolean;
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
}

/**
 * Renders emails and stores them in the outbox. Call it with the same transaction as the change
 * that causes them, so either both happen or neither does; the worker sends them afterwards.
 * Everything is rendered first and stored with a few multi-row inserts: a launch of 1,000 raters
 * is a handful of statements, not a thousand.
 */
export async function queueEmails(db: Db, mail: MailContext, emails: QueuedEmail[]): Promise<string[]> {
  const rows = emails.map((email) => outboxRow(mail, email));
  await insertOutboxMessages(db, rows);
  return rows.map((row) => row.id);
}

export async function queueEmail(db: Db, mail: MailContext, email: QueuedEmail): Promise<string> {
  const [id] = await queueEmails(db, mail, [email]);
  return id!;
}

function outboxRow(mail: MailContext, email: QueuedEmail): NewOutboxRow {
  const now = mail.clock.now().toISOString();
  const forget = email.forgetWhenDone === true;
  const id = newId();
  const { html, text } = mail.views.email(email.template, { ...email.data, subject: email.subject, publicUrl: mail.publicUrl });
  const message: StoredMessage = {
    from: mail.from,
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    text,
    html,
    date: now,
  };
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
    next_attempt_at: now,
    created_at: forget ? dayOf(mail.clock.now()) : now,
    forget_when_done: forget ? 1 : 0,
  };
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
export function deliveryOf(entry: Pick<OutboxEntry, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError'>): Delivery {
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
export function latestDeliveries(entries: readonly OutboxEntry[]): Map<string, Delivery & { kind: string; subject: string }> {
  const latest = new Map<string, OutboxEntry>();
  for (const entry of entries) {
    if (!entry.invitationId) continue;
    const seen = latest.get(entry.invitationId);
    if (!seen || seen.createdAt <= entry.createdAt) latest.set(entry.invitationId, entry);
  }
  return new Map([...latest].map(([invitationId, entry]) => [invitationId, { ...deliveryOf(entry), kind: entry.kind, subject: entry.subject }]));
}

/** What the coach should see first: messages not delivered yet after a try, and those that never will be. */
export type MessageDelivery = Omit<OutboxEntry, keyof Delivery> & Delivery;

export function deliveryProblems(entries: readonly OutboxEntry[]): { deferred: MessageDelivery[]; failed: MessageDelivery[] } {
  const withDelivery = entries.map((entry): MessageDelivery => ({ ...entry, ...deliveryOf(entry) }));
  return { deferred: withDelivery.filter((entry) => entry.state === 'deferred'), failed: withDelivery.filter((entry) => entry.state === 'failed') };
}
