import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import type { QueuedEmail } from '../mail/outbox.service';

/**
 * The client's private link to their released report, in the engagement's language (the
 * translator's), subject included; `version` > 1 when it replaces an earlier release.
 */
export function releaseEmail(
  release: { roundId: string; version: number; note: string; expiresAt: string },
  client: { name: string; email: string; language: Language },
  coach: { name: string; email?: string },
  link: string,
  translator: Translator,
): QueuedEmail {
  const updated = release.version > 1;
  return {
    kind: 'report-release',
    to: client.email,
    replyTo: coach.email,
    subject: translator.t(updated ? 'release.subjectUpdated' : 'release.subject'),
    template: 'report-release',
    data: { language: client.language, clientName: client.name, coachName: coach.name, note: release.note, link, updated, expiresAt: release.expiresAt },
    actionUrl: link,
    roundId: release.roundId,
  };
}
