import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { newId } from '../secrets';
import type { TemplateData, Views } from '../views';
import type { NewOutboxRow } from '../db/schema';
import { insertOutboxMessages, type StoredMessage } from './outbox.repository';

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
