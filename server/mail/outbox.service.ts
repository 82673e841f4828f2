import type { Db } from '../auth/auth.repository';
import type { Clock } from '../clock';
import { newId } from '../secrets';
import type { TemplateData, Views } from '../views';
import { insertOutboxMessage, type StoredMessage } from './outbox.repository';

/** What building an email needs besides the database: templates, sender, time, and where links point. */
export interface MailContext {
  views: Views;
  clock: Clock;
  from: string;
  publicUrl: string;
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
}

/**
 * Renders an email and stores it in the outbox. Call it with the same transaction as the change
 * that causes the email, so either both happen or neither does; the worker sends it afterwards.
 */
export async function queueEmail(db: Db, mail: MailContext, email: QueuedEmail): Promise<string> {
  const now = mail.clock.now().toISOString();
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
  await insertOutboxMessage(db, {
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
    created_at: now,
  });
  return id;
}
