import { createHmac } from 'node:crypto';
import { addSeconds, type Clock } from '../clock';
import type { Db } from '../db/schema';
import { NotFoundError } from '../errors';
import { queueEmails, rewriteUnsentEmail, type MailContext, type QueuedEmail } from '../mail/outbox.service';
import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import type { Invitation } from '../rounds/rounds.types';
import { hashToken, newId, newSecretToken } from '../secrets';
import { LaunchedRounds } from '../survey/launched-rounds';
import * as repo from './portal.repository';
import type { RaterSurveyRecord, RiderEmail, UnsentSurveyEmail } from './portal.repository';
import { combinedSurveyEmail, listLanguage, surveyEntry, type CombinedEmailInput, type RaterSurvey } from './rater-surveys';

// A rater's one page of every survey they owe a coach, and the one email that carries its link.
//
// Emails: every survey invitation and reminder waits `surveyEmailHoldSeconds` in the outbox. When
// one is queued for a person who owes the coach other surveys, or to whom an email from the coach
// is still waiting, it goes as one email listing them all with a link to this page: it joins the
// waiting email (which is rewritten to list it) or becomes that email itself. Only an email no
// worker has tried yet is joined, so a combined email is never sent twice under two contents; an
// email that joins travels in it (outbox carrier_id) and takes its delivery state.
//
// Anonymity (docs/anonymity.md, rule 6): nothing here touches responses. The page shows the rater
// their own surveys' progress, which the coach sees per invitation by the day already; links,
// like invitations, are stored as hashes, without time.

export interface SurveyEmail {
  invitation: Invitation;
  /** The survey's own email (round-emails.ts surveyEmail), as it goes when it goes alone. */
  email: QueuedEmail;
}

export interface CoachContact {
  id: string;
  name: string;
  email: string;
}

export function portalUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/p/${token}`;
}

/**
 * The link to one survey that the portal page hands out, derived from the page's own token
 * (HMAC-SHA256, 256 bits like every link): only someone holding the page's link can compute it,
 * the database keeps its hash only (invitation_tokens, as for emailed links), and the page gives
 * the same link every time it is opened, so it writes a new token once per survey, not per visit.
 */
export function surveyTokenFor(portalToken: string, invitationId: string): string {
  return createHmac('sha256', portalToken).update(`survey:${invitationId}`).digest('base64url');
}

async function withMinutes(db: Db, records: readonly RaterSurveyRecord[], launchedRounds: LaunchedRounds): Promise<RaterSurvey[]> {
  const minutes = new Map<string, number | null>();
  for (const record of records) {
    if (!minutes.has(record.roundId)) minutes.set(record.roundId, (await launchedRounds.get(db, record.roundId, record.launchedAt))?.minutes ?? null);
  }
  return records.map((record) => ({ ...record, minutes: minutes.get(record.roundId) ?? null }));
}

/**
 * Queues survey emails (invitations or reminders of one coach's raters) in the caller's
 * transaction, each held `surveyEmailHoldSeconds`; a rater who owes the coach more than this one
 * survey gets them in one email instead (see above). Returns the invitations listed in combined
 * emails, which a reminder reminds of too.
 */
export async function queueSurveyEmailsTogether(db: Db, mail: MailContext, coach: CoachContact, emails: readonly SurveyEmail[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const now = mail.clock.now();
  const sendAfter = addSeconds(now, mail.surveyEmailHoldSeconds);
  const byAddress = groupBy(emails, (email) => email.invitation.email.toLowerCase());
  const addresses = [...byAddress.keys()];
  // Locked first: an email joined below cannot be claimed by a worker before this commits.
  const waiting = await repo.lockUnsentSurveyEmails(db, coach.id, addresses);
  const riders = await repo.listRiders(db, waiting.map((email) => email.id));
  // Whatever travels in the email is listed in it, even past its deadline (the coach may remind until the round is closed).
  const travelling = [...emails.map((email) => email.invitation.id), ...waiting.map((email) => email.invitationId), ...riders.map((rider) => rider.invitationId)];
  const owed = groupBy(await repo.listOwedSurveys(db, coach.id, addresses, now.toISOString(), travelling), (survey) => survey.email.toLowerCase());
  const waitingFor = groupBy(waiting, (email) => email.recipient.toLowerCase());
  const alone: QueuedEmail[] = [];
  const listed: string[] = [];
  const launchedRounds = new LaunchedRounds();
  for (const [address, fresh] of byAddress) {
    const surveys = owed.get(address) ?? [];
    const freshIds = new Set(fresh.map((email) => email.invitation.id));
    const carriers = waitingFor.get(address) ?? [];
    if (carriers.length === 0 && surveys.every((survey) => freshIds.has(survey.invitationId))) {
      alone.push(...fresh.map((email) => ({ ...email.email, sendAfter })));
      continue;
    }
    const missing = fresh.find((email) => !surveys.some((survey) => survey.invitationId === email.invitation.id));
    // Only invitations of a launched, open round are sent, and those are listed; were one not, the combined email would lose it.
    if (missing) throw new Error(`Invitation ${missing.invitation.id} is not in an open round of its coach`);
    listed.push(...surveys.map((survey) => survey.invitationId));
    const ridersHere = riders.filter((rider) => carriers.some((carrier) => carrier.id === rider.carrierId));
    const content = { raterName: fresh[0]!.invitation.name, coach, surveys: await withMinutes(db, surveys, launchedRounds), now };
    await queueCombined(db, mail, { coach, fresh, carriers, riders: ridersHere, content, sendAfter });
  }
  await queueEmails(db, mail, alone);
  return listed;
}

interface CombinedEmailParts {
  coach: CoachContact;
  /** The rater's survey emails being queued now. */
  fresh: SurveyEmail[];
  /** The rater's emails from this coach still waiting, locked, and those travelling in them. */
  carriers: UnsentSurveyEmail[];
  riders: RiderEmail[];
  content: Pick<CombinedEmailInput, 'raterName' | 'coach' | 'surveys' | 'now'>;
  sendAfter: Date;
}

/**
 * One rater's new survey emails, together with what they owe the coach: they join the email
 * still waiting for this rater (rewritten to list them), or the first of them becomes that email.
 * Surveys invited to by any email that travels together are marked new.
 */
async function queueCombined(db: Db, mail: MailContext, parts: CombinedEmailParts): Promise<void> {
  const { coach, fresh, content, sendAfter } = parts;
  const { token, hash } = newSecretToken();
  const link = portalUrl(mail.publicUrl, token);
  const invitationIds = content.surveys.map((survey) => survey.invitationId);
  const kinds = [...fresh.map((email) => ({ kind: email.email.kind, invitationId: email.invitation.id })), ...parts.carriers, ...parts.riders];
  const newInvitationIds = new Set(kinds.filter((email) => email.kind === 'survey-invitation').map((email) => email.invitationId));
  const email = combinedSurveyEmail(mail.views.translator, { ...content, link, newInvitationIds });
  const [carrier, ...rivals] = [...parts.carriers].sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt));
  if (!carrier) {
    const [first, ...rest] = fresh;
    const [carrierId] = await queueEmails(db, mail, [{ ...first!.email, ...email, sendAfter }]);
    await queueEmails(db, mail, rest.map((other) => ({ ...other.email, carrierId, sendAfter })));
    const linkId = newId();
    await repo.insertPortalLink(db, { id: linkId, tokenHash: hash, coachId: coach.id, outboxId: carrierId! });
    await repo.attachPortalInvitations(db, linkId, invitationIds);
    return;
  }
  // Two emails raced to carry for this rater (two launches at once): one carries them both, and the others' links, never sent, go.
  await repo.joinCarrier(db, rivals.map((rival) => rival.id), carrier);
  await queueEmails(db, mail, fresh.map((other) => ({ ...other.email, carrierId: carrier.id, sendAfter: new Date(carrier.nextAttemptAt) })));
  // The waiting email's link was never sent either: it gets the new token, and the old one stops working.
  let linkId = await repo.renewPortalLinkToken(db, carrier.id, hash);
  if (!linkId) {
    linkId = newId();
    await repo.insertPortalLink(db, { id: linkId, tokenHash: hash, coachId: coach.id, outboxId: carrier.id });
  }
  await repo.attachPortalInvitations(db, linkId, invitationIds);
  // The carrier is locked by this transaction (lockUnsentSurveyEmails): no worker can have claimed it.
  if (!(await rewriteUnsentEmail(db, mail, carrier.id, { ...email, to: carrier.recipient, replyTo: coach.email }))) throw new Error(`Email ${carrier.id} was claimed while locked`);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

// ───────────── the page ─────────────

export interface RaterPortal {
  coach: { name: string; email: string };
  /** The page's language (rater-surveys.ts listLanguage); each survey opens in its own. */
  language: Language;
  raterName: string;
  /** Each survey's own link (its token) while it can be answered. */
  surveys: Array<ReturnType<typeof surveyEntry> & { surveyToken: string | null }>;
}

/**
 * The page behind a portal link: every survey of the rater in the coach's open rounds, with their
 * progress and a link to each they can still answer. Unknown tokens, and links whose invitations
 * were all removed or erased, are the same NotFoundError. Opening the page changes no status.
 */
export async function openPortal(db: Db, clock: Clock, translator: (language: Language) => Translator, token: string, launchedRounds: LaunchedRounds): Promise<RaterPortal> {
  const link = await repo.findPortalLink(db, hashToken(token));
  if (!link) throw new NotFoundError();
  const addresses = await repo.listLinkAddresses(db, link.id, link.coachId);
  if (addresses.length === 0) throw new NotFoundError();
  const surveys = await withMinutes(db, await repo.listOpenSurveys(db, link.coachId, addresses), launchedRounds);
  const now = clock.now();
  const language = listLanguage(surveys);
  const entries = surveys.map((survey) => {
    const entry = surveyEntry(translator(language), survey, now);
    return { ...entry, surveyToken: entry.answerable ? surveyTokenFor(token, survey.invitationId) : null };
  });
  await repo.insertSurveyTokens(db, entries.flatMap((entry) => (entry.surveyToken ? [{ invitationId: entry.invitationId, tokenHash: hashToken(entry.surveyToken) }] : [])));
  return { coach: link.coach, language, raterName: surveys.find((survey) => survey.raterName)?.raterName ?? '', surveys: entries };
}
