import type { QueuedEmail } from '../mail/outbox.service';

/** The client's private link to their released report; `version` > 1 when it replaces an earlier release. */
export function releaseEmail(release: { roundId: string; version: number; note: string; expiresAt: string }, client: { name: string; email: string }, coach: { name: string; email?: string }, link: string): QueuedEmail {
  const updated = release.version > 1;
  return {
    kind: 'report-release',
    to: client.email,
    replyTo: coach.email,
    subject: updated ? 'An updated version of your 360 feedback report is ready' : 'Your 360 feedback report is ready',
    template: 'report-release',
    data: { clientName: client.name, coachName: coach.name, note: release.note, link, updated, expiresAt: release.expiresAt },
    actionUrl: link,
    roundId: release.roundId,
  };
}
