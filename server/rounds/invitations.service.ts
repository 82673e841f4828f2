import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import { ConflictError, InvalidError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { MailContext } from '../mail/outbox.service';
import { newId } from '../secrets';
import type { Language } from '../i18n/languages';
import { deleteInvitation, findInvitation, insertInvitations, listInvitations, setInvitationLanguage } from './invitations.repository';
import { checkRaters, parseRaterList, type KnownRaters, type RaterEntry, type RaterLineError, type RaterRow } from './rater-list';
import { invitePending, remindInvitations } from './round-mail';
import { awaitsAnswer, canAddRaters, canChangeRaterLanguage, canRemind, invitesAtOnce, whyRaterStays } from './round-rules';
import { assertLanguagesCovered } from './round-languages';
import { groupsFromSettings, type RoundSettings } from './round-settings';
import { listRoundGroups } from './rounds.repository';
import { createRound, getRound } from './rounds.service';
import type { Invitation, RaterGroup, Round } from './rounds.types';

// Who is asked in a round: adding raters (one, a pasted list, a file, the API), removing them,
// reminding those who have not answered.

/**
 * Adds raters, in the caller's transaction, each in their own language or the round's. In an open
 * round their invitations go out at once (through the outbox), so a language its questionnaire does
 * not cover is refused there and then (a draft round is checked at launch).
 */
export async function insertRaters(db: Db, mail: MailContext, round: Round, raters: RaterEntry[]): Promise<number> {
  if (!canAddRaters(round)) throw new ConflictError(new Phrase('error.raters.roundClosed'));
  const withLanguages = raters.map((rater) => ({ ...rater, language: rater.language ?? round.language }));
  if (round.status !== 'draft' && round.snapshot) assertLanguagesCovered(round.snapshot, round, withLanguages);
  await insertInvitations(
    db,
    round.id,
    withLanguages.map((rater) => ({ id: newId(), groupKey: rater.groupKey, email: rater.email, name: rater.name, isClient: false, status: 'pending', statusOn: null, language: rater.language })),
  );
  return invitesAtOnce(round) ? invitePending(db, mail, round) : raters.length;
}

/** Adds raters: all of them or none. */
export async function addRaters(db: Db, mail: MailContext, coachId: string, roundId: string, raters: RaterEntry[]): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  return db.transaction().execute((trx) => insertRaters(trx, mail, round, raters));
}

/** The round's rater groups and who is in it already: what a new list of raters is checked against. */
async function ratersOf(db: Db, coachId: string, roundId: string): Promise<{ round: Round; groups: RaterGroup[]; known: KnownRaters }> {
  const round = await getRound(db, coachId, roundId);
  const [engagement, groups, invitations] = await Promise.all([getEngagement(db, coachId, round.engagementId), listRoundGroups(db, round.id), listInvitations(db, round.id)]);
  return { round, groups, known: { emails: new Set(invitations.map((invitation) => invitation.email)), clientEmail: engagement.clientEmail.toLowerCase() } };
}

/** Reads pasted lines or a CSV file; every problem is reported by line and nothing is added unless all are fine. */
export async function addRaterList(db: Db, mail: MailContext, coachId: string, roundId: string, text: string): Promise<{ added: number; errors: RaterLineError[] }> {
  const { groups, known } = await ratersOf(db, coachId, roundId);
  const parsed = parseRaterList(text, groups, known);
  if (parsed.errors.length) return { added: 0, errors: parsed.errors };
  if (parsed.raters.length === 0) return { added: 0, errors: [{ line: 0, message: 'There is no rater in this list.' }] };
  return { added: await addRaters(db, mail, coachId, roundId, parsed.raters), errors: [] };
}

/** Adds raters given as rows (e.g. from the JSON API): the same checks and all-or-nothing rule as a pasted list. */
export async function addRaterRows(db: Db, mail: MailContext, coachId: string, roundId: string, rows: RaterRow[]): Promise<{ added: number; errors: RaterLineError[] }> {
  const { groups, known } = await ratersOf(db, coachId, roundId);
  const checked = checkRaters(rows, groups, known);
  if (checked.errors.length) return { added: 0, errors: checked.errors };
  return { added: await addRaters(db, mail, coachId, roundId, checked.raters), errors: [] };
}

/**
 * A new draft round with its raters. The raters are checked before anything is created, so a
 * bad list creates no round at all; every problem is reported by its position in the list.
 */
export async function createRoundWithRaterRows(db: Db, mail: MailContext, coachId: string, engagementId: string, settings: RoundSettings, rows: RaterRow[]): Promise<Round> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const checked = checkRaters(rows, groupsFromSettings(settings), { emails: new Set(), clientEmail: engagement.clientEmail.toLowerCase() });
  if (checked.errors.length) throw new InvalidError(new Phrase('error.raters.attention'), raterErrorFields(checked.errors));
  const round = await createRound(db, mail.clock, coachId, engagement.id, settings);
  if (checked.raters.length) await addRaters(db, mail, coachId, round.id, checked.raters);
  return round;
}

/** Rater problems as field errors of the list they came in: line 3 is `raters.2`. */
export function raterErrorFields(errors: RaterLineError[]): Record<string, string> {
  return Object.fromEntries(errors.map((error) => [error.line > 0 ? `raters.${error.line - 1}` : 'raters', error.message]));
}

export async function removeRater(db: Db, coachId: string, roundId: string, invitationId: string): Promise<Invitation> {
  const round = await getRound(db, coachId, roundId);
  const invitation = await findInvitation(db, round.id, invitationId);
  if (!invitation) throw new NotFoundError();
  const stays = whyRaterStays(round, invitation);
  if (stays) throw new ConflictError(stays);
  await deleteInvitation(db, round.id, invitation.id);
  return invitation;
}

/** The coach's "send a reminder now": only to those who have neither answered nor declined. */
export async function remindNow(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  if (!canRemind(round)) throw new ConflictError(new Phrase('error.raters.remindersWhileOpen'));
  return db.transaction().execute(async (trx) => remindInvitations(trx, mail, round, (await listInvitations(trx, round.id)).filter(awaitsAnswer)));
}

/**
 * The coach sets the language a rater reads their survey and its emails in. Once the round is
 * launched the questionnaire is fixed, so only a language it covers can be chosen.
 */
export async function changeRaterLanguage(db: Db, coachId: string, roundId: string, invitationId: string, language: Language): Promise<Invitation> {
  const round = await getRound(db, coachId, roundId);
  const invitation = await findInvitation(db, round.id, invitationId);
  if (!invitation) throw new NotFoundError();
  if (!canChangeRaterLanguage(round, invitation)) throw new ConflictError(new Phrase('error.raters.languageStays'));
  if (round.status !== 'draft' && round.snapshot) assertLanguagesCovered(round.snapshot, round, [{ language }]);
  await setInvitationLanguage(db, round.id, invitation.id, language);
  return { ...invitation, language };
}
