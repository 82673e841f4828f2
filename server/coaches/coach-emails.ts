import type { Coach } from '../auth/coach';
import type { QueuedEmail } from '../mail/outbox.service';

/** The administrator's invitation to create a coach account, with its single-use link. */
export function coachInvitationEmail(admin: Coach, to: string, link: string, expiresAt: string): QueuedEmail {
  return {
    kind: 'coach-invitation',
    to,
    replyTo: admin.email,
    subject: `${admin.name} invites you to their 360 feedback platform`,
    template: 'coach-invitation',
    data: { inviterName: admin.name, link, expiresAt },
    actionUrl: link,
  };
}
