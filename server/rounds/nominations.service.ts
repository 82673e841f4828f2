import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.types';
import { ConflictError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import { hashToken, isWellFormedToken, newId, newSecretToken } from '../secrets';
import { listInvitations } from './invitations.repository';
import { insertRaters } from './invitations.service';
import * as repo from './nominations.repository';
import type { Nomination } from './nominations.types';
import { parseRaterList, type RaterEntry, type RaterLineError } from './rater-list';
import { groupLabel, nominationRequestEmail } from './round-emails';
import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import { emailContext } from './round-mail';
import { canAskForNominations } from './round-rules';
import { listRoundGroups } from './rounds.repository';
import { getRound } from './rounds.service';
import type { RaterGroup, Round } from './rounds.types';

// The client suggests raters through a private link before launch; the coach approves, edits or
// sets aside each suggestion.

/** Emails the client a private link where they propose raters; the coach approves before launch. */
export async function requestNomination(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<void> {
  const round = await getRound(db, coachId, roundId);
  if (!canAskForNominations(round)) throw new ConflictError(new Phrase('error.nominations.beforeLaunch'));
  const [context, engagement] = await Promise.all([emailContext(db, round), getEngagement(db, coachId, round.engagementId)]);
  const { token, hash } = newSecretToken();
  const link = `${mail.publicUrl}/n/${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.setNominationToken(trx, round.id, hash, mail.clock.now().toISOString());
    await queueEmail(trx, mail, nominationRequestEmail(mail, context, { email: engagement.clientEmail, language: engagement.language }, link));
  });
}

export interface NominationPage {
  round: Round;
  engagement: Engagement;
  groups: RaterGroup[];
  nominations: Nomination[];
}

/** The round behind a nomination link, while nominations are still useful (before launch). */
export async function findNominationPage(db: Db, token: string): Promise<NominationPage> {
  const round = await repo.findRoundByNominationToken(db, hashToken(isWellFormedToken(token) ? token : `invalid:${token}`));
  if (!round || !canAskForNominations(round)) throw new NotFoundError(new Phrase('error.nominations.linkInvalid'));
  const [engagement, groups, nominations] = await Promise.all([getEngagement(db, round.coachId, round.engagementId), listRoundGroups(db, round.id), repo.listNominations(db, round.id)]);
  return { round, engagement, groups, nominations };
}

/**
 * The client's proposal replaces their earlier one (the coach's decisions on it are kept). With
 * `translators`, a group may also be named as the client's page names it, in the engagement's language.
 */
export async function submitNominations(db: Db, clock: Clock, token: string, text: string, translators?: (language: Language) => Translator): Promise<{ proposed: number; errors: RaterLineError[] }> {
  const page = await findNominationPage(db, token);
  const translator = translators?.(page.engagement.language);
  const groups = translator ? page.groups.map((group) => ({ ...group, label: groupLabel(translator, group) })) : page.groups;
  const decided = page.nominations.filter((nomination) => nomination.status !== 'proposed');
  const invited = await listInvitations(db, page.round.id);
  const parsed = parseRaterList(text, groups, {
    emails: new Set([...decided.map((nomination) => nomination.email), ...invited.map((invitation) => invitation.email)]),
    clientEmail: page.engagement.clientEmail.toLowerCase(),
  });
  if (parsed.errors.length) return { proposed: 0, errors: parsed.errors };
  await db.transaction().execute(async (trx) => {
    await repo.deleteProposedNominations(trx, page.round.id);
    await repo.insertNominations(trx, page.round.id, parsed.raters.map((rater) => ({ id: newId(), ...rater })));
    await repo.markNominationSubmitted(trx, page.round.id, clock.now().toISOString());
  });
  return { proposed: parsed.raters.length, errors: [] };
}

export async function listNominations(db: Db, coachId: string, roundId: string): Promise<Nomination[]> {
  const round = await getRound(db, coachId, roundId);
  return repo.listNominations(db, round.id);
}

/** One of the round's suggestions still waiting for the coach's decision. */
async function proposedNomination(db: Db, coachId: string, roundId: string, nominationId: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  const nominations = await repo.listNominations(db, round.id);
  if (!nominations.some((nomination) => nomination.id === nominationId && nomination.status === 'proposed')) throw new NotFoundError();
  return round;
}

/** Approves proposed nominations: each becomes a rater (skipping anyone already invited). */
export async function approveNominations(db: Db, mail: MailContext, coachId: string, roundId: string, ids: string[] | 'all'): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  const [nominations, invitations] = await Promise.all([repo.listNominations(db, round.id), listInvitations(db, round.id)]);
  const chosen = nominations.filter((nomination) => nomination.status === 'proposed' && (ids === 'all' || ids.includes(nomination.id)));
  if (ids !== 'all' && chosen.length !== ids.length) throw new NotFoundError();
  const taken = new Set(invitations.map((invitation) => invitation.email));
  const fresh = chosen.filter((nomination) => !taken.has(nomination.email));
  return db.transaction().execute(async (trx) => {
    await repo.setNominationStatus(trx, round.id, chosen.map((nomination) => nomination.id), 'approved');
    return fresh.length ? insertRaters(trx, mail, round, fresh) : 0;
  });
}

export async function rejectNomination(db: Db, coachId: string, roundId: string, nominationId: string): Promise<void> {
  const round = await proposedNomination(db, coachId, roundId, nominationId);
  await repo.setNominationStatus(db, round.id, [nominationId], 'rejected');
}

export async function editNomination(db: Db, coachId: string, roundId: string, nominationId: string, entry: RaterEntry): Promise<void> {
  const round = await proposedNomination(db, coachId, roundId, nominationId);
  await repo.updateNomination(db, round.id, nominationId, entry);
}
