import type { Coach } from '../auth/coach';
import type { Translator } from '../i18n/translator';
import type { QueuedEmail } from '../mail/outbox.service';

/**
 * The administrator's invitation to create a coach account, with its single-use link, in the
 * administrator's language (the translator's): the invited coach has no account, hence no language, yet.
 */
export function coachInvitationEmail(admin: Coach, to: string, link: string, expiresAt: string, translator: Translator): QueuedEmail {
  return {
    kind: 'coach-invitation',
    to,
    replyTo: admin.email,
    subject: translator.t('email.coachInvitation.subject', { name: admin.name }),
    template: 'coach-invitation',
    data: { language: translator.language, inviterName: admin.name, link, expiresAt },
    actionUrl: link,
  };
}
