import type { Db } from '../db/schema';
import { findCoachById } from '../auth/auth.repository';
import { addDays, dayOf, type Clock } from '../clock';
import { getEngagement } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.repository';
import { ConflictError, InvalidError, NotFoundError } from '../errors';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import { getQuestionnaire } from '../questionnaires/questionnaires.service';
import { whyNotUsable, type QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { hashToken, isWellFormedToken, newId, newSecretToken } from '../secrets';
import { formatDay } from '../views';
import { checkRaters, parseRaterList, type RaterEntry, type RaterLineError, type RaterRow } from './rater-list';
import { publishDueVersion } from '../reports/versions.service';
import { queueSurveyEmails, type RoundEmailContext } from './round-emails';
import * as repo from './rounds.repository';
import type { Invitation, InvitationStatus, Round, RaterGroup, RoundPurpose } from './rounds.repository';

export const DEFAULT_K = 3;
export const DEFAULT_GROUPS: RaterGroup[] = [
  { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
  { key: 'manager', label: 'Manager', minimum: 1, anonymous: false, self: false },
  { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false },
  { key: 'reports', label: 'Direct reports', minimum: 3, anonymous: true, self: false },
  { key: 'others', label: 'Others', minimum: 3, anonymous: true, self: false },
];

const PURPOSE_LABELS: Record<RoundPurpose, string> = { baseline: 'Baseline 360', evaluation: 'Evaluation 360', pulse: 'Pulse check-in' };

export function roundLabel(purpose: RoundPurpose): string {
  return PURPOSE_LABELS[purpose];
}

/** A deadline is a day; the round closes at the end of it (UTC). */
export function deadlineInstant(day: string): string {
  return `${day}T23:59:59.999Z`;
}

function deadlineProblem(day: string, now: Date): string | null {
  return deadlineInstant(day) <= now.toISOString() ? 'The deadline must be today or later.' : null;
}

/** Refuses a deadline day that has already ended, as an error on the form's deadline field. */
function assertFutureDeadline(day: string, now: Date): void {
  const problem = deadlineProblem(day, now);
  if (problem) throw new InvalidError(problem, { deadlineDay: problem });
}

export interface RoundSettings {
  questionnaireId: string;
  purpose: RoundPurpose;
  deadlineDay: string;
  message: string;
  k: number;
  tau: number | null;
  groups: Array<{ label: string; minimum: number; anonymous: boolean }>;
}

/** The five groups in their fixed order and keys, with the coach's labels and minimums. */
function groupsFromSettings(settings: RoundSettings): RaterGroup[] {
  return DEFAULT_GROUPS.map((base, index) => {
    const chosen = settings.groups[index];
    if (base.self || !chosen) return { ...base, label: base.self && chosen ? chosen.label : base.label };
    return { ...base, label: chosen.label, minimum: chosen.minimum, anonymous: chosen.anonymous };
  });
}

/** The anonymity rules a coach could break when editing a round (docs/anonymity.md, rule 1). */
function validateSettings(settings: RoundSettings, groups: RaterGroup[], now: Date, scalePoints: number): void {
  const fields: Record<string, string> = {};
  groups.forEach((group, index) => {
    if (group.anonymous && group.minimum < settings.k) {
      fields[`groups.${index}.minimum`] = `${group.label}: an anonymous group's minimum must be at least k, here ${settings.k}.`;
    }
  });
  const labels = groups.map((group) => group.label.toLowerCase());
  labels.forEach((label, index) => {
    if (labels.indexOf(label) !== index) fields[`groups.${index}.label`] = 'Each group needs its own label.';
  });
  const deadline = deadlineProblem(settings.deadlineDay, now);
  if (deadline) fields.deadlineDay = deadline;
  if (settings.tau !== null && settings.tau > scalePoints - 1) fields.tau = `The blind-spot threshold must be at most ${scalePoints - 1} on a ${scalePoints}-point scale.`;
  if (Object.keys(fields).length) throw new InvalidError('Some settings need your attention.', fields);
}

async function usableQuestionnaire(db: Db, coachId: string, questionnaireId: string) {
  const questionnaire = await getQuestionnaire(db, coachId, questionnaireId).catch(() => undefined);
  if (!questionnaire) throw new InvalidError('Choose a questionnaire.', { questionnaireId: 'Choose one of your questionnaires.' });
  const problem = whyNotUsable(questionnaire.definition);
  if (problem) throw new InvalidError(problem, { questionnaireId: `This questionnaire cannot be used yet. ${problem}` });
  return questionnaire;
}

/** A new draft round for the engagement; the client is added to the self group straight away. */
export async function createRound(db: Db, clock: Clock, coachId: string, engagementId: string, settings: RoundSettings): Promise<Round> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const questionnaire = await usableQuestionnaire(db, coachId, settings.questionnaireId);
  const groups = groupsFromSettings(settings);
  const now = clock.now();
  validateSettings(settings, groups, now, questionnaire.definition.scale.points);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await repo.insertRound(
      trx,
      {
        id,
        coachId,
        engagementId: engagement.id,
        questionnaireId: questionnaire.id,
        snapshot: null,
        purpose: settings.purpose,
        deadline: deadlineInstant(settings.deadlineDay),
        message: settings.message,
        k: settings.k,
        tau: settings.tau,
        baselineRoundId: null,
        createdAt: now.toISOString(),
      },
      groups,
    );
    await repo.insertInvitations(trx, id, [
      { id: newId(), groupKey: 'self', email: engagement.clientEmail, name: engagement.clientName, isClient: true, status: 'pending', statusOn: null },
    ]);
  });
  return getRound(db, coachId, id);
}

/**
 * A draft round built on another one (an evaluation re-run or a pulse): the same rater groups,
 * minimums, k and τ, its raters pre-filled (except those who declined), and a questionnaire fixed
 * from the start so the two rounds stay comparable.
 */
export async function createLinkedRound(
  db: Db,
  clock: Clock,
  coachId: string,
  base: Round,
  options: { purpose: RoundPurpose; snapshot: QuestionnaireDefinition; deadlineDay: string; message: string; pulseSince?: string },
): Promise<Round> {
  const now = clock.now();
  assertFutureDeadline(options.deadlineDay, now);
  const [groups, invitations] = await Promise.all([repo.listRoundGroups(db, base.id), repo.listInvitations(db, base.id)]);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await repo.insertRound(
      trx,
      {
        id,
        coachId,
        engagementId: base.engagementId,
        questionnaireId: base.questionnaireId,
        snapshot: options.snapshot,
        purpose: options.purpose,
        deadline: deadlineInstant(options.deadlineDay),
        message: options.message,
        k: base.k,
        tau: base.tau,
        baselineRoundId: base.id,
        pulseSince: options.pulseSince ?? null,
        createdAt: now.toISOString(),
      },
      groups,
    );
    await repo.insertInvitations(
      trx,
      id,
      invitations
        .filter((invitation) => invitation.status !== 'declined' && invitation.status !== 'pending')
        .map((invitation) => ({ id: newId(), groupKey: invitation.groupKey, email: invitation.email, name: invitation.name, isClient: invitation.isClient, status: 'pending', statusOn: null })),
    );
  });
  return getRound(db, coachId, id);
}

/** A baseline can be re-run once it is closed: the evaluation then compares against a finished round. */
export function canRerunForEvaluation(round: Round): round is Round & { snapshot: QuestionnaireDefinition } {
  return round.purpose === 'baseline' && round.snapshot !== null && round.status === 'closed';
}

/** "Re-run for evaluation": the same questionnaire snapshot, groups and raters, new links, a new deadline. */
export async function rerunForEvaluation(db: Db, clock: Clock, coachId: string, baselineRoundId: string): Promise<Round> {
  const baseline = await getRound(db, coachId, baselineRoundId);
  if (!canRerunForEvaluation(baseline)) throw new ConflictError('Only a closed baseline round can be re-run for evaluation.');
  const deadline = addDays(clock.now(), 14);
  return createLinkedRound(db, clock, coachId, baseline, {
    purpose: 'evaluation',
    snapshot: baseline.snapshot,
    deadlineDay: dayOf(deadline),
    message: `This is a follow-up to the feedback you gave in ${new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(baseline.launchedAt ?? baseline.createdAt))}. Please describe how things are today; there is no need to remember what you answered then.`,
  });
}

/** A round whose questionnaire was fixed when it was created (a re-run or a pulse) keeps it. */
export function hasFixedQuestionnaire(round: Round): boolean {
  return round.baselineRoundId !== null && round.snapshot !== null;
}

/** The settings a linked round still allows before launch: its deadline and message. */
export async function updateLinkedRoundDetails(db: Db, clock: Clock, coachId: string, roundId: string, details: { deadlineDay: string; message: string }): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (round.status !== 'draft' || !hasFixedQuestionnaire(round)) throw new ConflictError('Only a draft re-run or pulse can be changed this way.');
  assertFutureDeadline(details.deadlineDay, clock.now());
  await repo.setRoundDeadlineAndMessage(db, round.id, deadlineInstant(details.deadlineDay), details.message);
  return getRound(db, coachId, roundId);
}

export async function updateDraftSettings(db: Db, clock: Clock, coachId: string, roundId: string, settings: RoundSettings): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (round.status !== 'draft') throw new ConflictError('Only a draft round can be changed this way.');
  const questionnaire = await usableQuestionnaire(db, coachId, settings.questionnaireId);
  const groups = groupsFromSettings(settings);
  validateSettings(settings, groups, clock.now(), questionnaire.definition.scale.points);
  await db.transaction().execute(async (trx) => {
    await repo.updateDraftRound(trx, round.id, { ...settings, deadline: deadlineInstant(settings.deadlineDay) });
    await repo.replaceRoundGroups(trx, round.id, groups);
  });
  return getRound(db, coachId, roundId);
}

export async function getRound(db: Db, coachId: string, roundId: string): Promise<Round> {
  const round = await repo.findOwnRound(db, coachId, roundId);
  if (!round) throw new NotFoundError();
  return round;
}

export interface GroupProgress {
  group: RaterGroup;
  invited: number;
  opened: number;
  completed: number;
  declined: number;
  /** Completed out of those asked (declined included): the response rate. */
  rate: number;
}

export interface RoundOverview {
  round: Round;
  engagement: Engagement;
  groups: RaterGroup[];
  invitations: Invitation[];
  progress: GroupProgress[];
  totals: Omit<GroupProgress, 'group'>;
  nominations: repo.Nomination[];
}

const REACHED: Record<InvitationStatus, Array<'invited' | 'opened' | 'completed' | 'declined'>> = {
  pending: [],
  invited: ['invited'],
  opened: ['invited', 'opened'],
  completed: ['invited', 'opened', 'completed'],
  declined: ['invited', 'declined'],
};

/** Invited / opened / completed / declined per group. "Opened" counts everyone who got at least that far. */
export function progressByGroup(groups: RaterGroup[], invitations: Invitation[]): GroupProgress[] {
  return groups.map((group) => {
    const counts = { invited: 0, opened: 0, completed: 0, declined: 0 };
    for (const invitation of invitations.filter((candidate) => candidate.groupKey === group.key)) {
      for (const step of REACHED[invitation.status]) counts[step] += 1;
    }
    return { group, ...counts, rate: counts.invited ? counts.completed / counts.invited : 0 };
  });
}

export async function roundOverview(db: Db, coachId: string, roundId: string): Promise<RoundOverview> {
  const round = await getRound(db, coachId, roundId);
  const [engagement, groups, invitations, nominations] = await Promise.all([
    getEngagement(db, coachId, round.engagementId),
    repo.listRoundGroups(db, round.id),
    repo.listInvitations(db, round.id),
    repo.listNominations(db, round.id),
  ]);
  const progress = progressByGroup(groups, invitations);
  const totals = progress.reduce(
    (sum, row) => ({ invited: sum.invited + row.invited, opened: sum.opened + row.opened, completed: sum.completed + row.completed, declined: sum.declined + row.declined, rate: 0 }),
    { invited: 0, opened: 0, completed: 0, declined: 0, rate: 0 },
  );
  totals.rate = totals.invited ? totals.completed / totals.invited : 0;
  return { round, engagement, groups, invitations, progress, totals, nominations };
}

export async function listRoundsOfEngagement(db: Db, coachId: string, engagementId: string): Promise<Array<Round & { progress: Omit<GroupProgress, 'group'> }>> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const rounds = await repo.listEngagementRounds(db, engagement.id);
  return Promise.all(
    rounds.map(async (round) => {
      const overview = await roundOverview(db, coachId, round.id);
      return { ...round, progress: overview.totals };
    }),
  );
}

async function emailContext(db: Db, round: Round): Promise<RoundEmailContext> {
  const coach = await findCoachById(db, round.coachId);
  const engagement = await getEngagement(db, round.coachId, round.engagementId);
  return { round, groups: await repo.listRoundGroups(db, round.id), clientName: engagement.clientName, coach: { name: coach?.name ?? '', email: coach?.email ?? '' } };
}

/** Sends the invitation of every pending rater of an open round, in the caller's transaction. */
async function invitePending(db: Db, mail: MailContext, round: Round): Promise<number> {
  const pending = (await repo.listInvitations(db, round.id)).filter((invitation) => invitation.status === 'pending');
  const context = await emailContext(db, round);
  await queueSurveyEmails(db, mail, context, pending, 'invitation');
  await repo.markInvitationsInvited(db, pending.map((invitation) => invitation.id), dayOf(mail.clock.now()));
  return pending.length;
}

/**
 * Adds raters: all of them or none. In an open round their invitations go out at once (in the
 * same transaction, through the outbox).
 */
export async function addRaters(db: Db, mail: MailContext, coachId: string, roundId: string, raters: RaterEntry[]): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  return db.transaction().execute((trx) => insertRaters(trx, mail, round, raters));
}

/** The body of `addRaters`, for callers that already hold a transaction. */
async function insertRaters(db: Db, mail: MailContext, round: Round, raters: RaterEntry[]): Promise<number> {
  if (round.status === 'closed') throw new ConflictError('This round is closed. Reopen it to add raters.');
  await repo.insertInvitations(
    db,
    round.id,
    raters.map((rater) => ({ id: newId(), groupKey: rater.groupKey, email: rater.email, name: rater.name, isClient: false, status: 'pending', statusOn: null })),
  );
  return round.status === 'open' ? invitePending(db, mail, round) : raters.length;
}

/** Reads pasted lines or a CSV file; every problem is reported by line and nothing is added unless all are fine. */
export async function addRaterList(
  db: Db,
  mail: MailContext,
  coachId: string,
  roundId: string,
  text: string,
): Promise<{ added: number; errors: RaterLineError[] }> {
  const overview = await roundOverview(db, coachId, roundId);
  const parsed = parseRaterList(text, overview.groups, {
    emails: new Set(overview.invitations.map((invitation) => invitation.email)),
    clientEmail: overview.engagement.clientEmail.toLowerCase(),
  });
  if (parsed.errors.length) return { added: 0, errors: parsed.errors };
  if (parsed.raters.length === 0) return { added: 0, errors: [{ line: 0, message: 'There is no rater in this list.' }] };
  return { added: await addRaters(db, mail, coachId, roundId, parsed.raters), errors: [] };
}

/** Adds raters given as rows (e.g. from the JSON API): the same checks and all-or-nothing rule as a pasted list. */
export async function addRaterRows(db: Db, mail: MailContext, coachId: string, roundId: string, rows: RaterRow[]): Promise<{ added: number; errors: RaterLineError[] }> {
  const overview = await roundOverview(db, coachId, roundId);
  const checked = checkRaters(rows, overview.groups, {
    emails: new Set(overview.invitations.map((invitation) => invitation.email)),
    clientEmail: overview.engagement.clientEmail.toLowerCase(),
  });
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
  if (checked.errors.length) throw new InvalidError('Some raters need your attention.', raterErrorFields(checked.errors));
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
  const invitation = await repo.findInvitation(db, round.id, invitationId);
  if (!invitation) throw new NotFoundError();
  if (invitation.isClient) throw new ConflictError('The client always takes part through the self group.');
  if (invitation.status === 'completed') throw new ConflictError('This rater has already answered; their answers stay in the round.');
  if (round.status === 'closed') throw new ConflictError('This round is closed.');
  await repo.deleteInvitation(db, round.id, invitation.id);
  return invitation;
}

/** Freezes the questionnaire into the round, opens it, and queues every invitation, all in one transaction. */
export async function launchRound(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  if (round.status !== 'draft') throw new ConflictError('This round has already been launched.');
  const now = mail.clock.now();
  if (round.deadline <= now.toISOString()) throw new ConflictError('The deadline has passed. Choose a later deadline before launching.');
  const snapshot = round.snapshot ?? (round.questionnaireId ? (await usableQuestionnaire(db, coachId, round.questionnaireId)).definition : null);
  if (!snapshot) throw new ConflictError('Choose a questionnaire before launching.');
  return db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundLaunched(trx, round.id, snapshot, now.toISOString()))) {
      throw new ConflictError('This round has already been launched.');
    }
    return invitePending(trx, mail, { ...round, snapshot, status: 'open' });
  });
}

/** Who may still be reminded: asked, not answered, not declined. */
function awaitingAnswer(invitation: Invitation): boolean {
  return invitation.status === 'invited' || invitation.status === 'opened';
}

async function remind(db: Db, mail: MailContext, round: Round, invitations: Invitation[]): Promise<number> {
  const context = await emailContext(db, round);
  await queueSurveyEmails(db, mail, context, invitations, 'reminder');
  await repo.markInvitationsReminded(db, invitations.map((invitation) => invitation.id), dayOf(mail.clock.now()));
  return invitations.length;
}

/** The coach's "send a reminder now": only to those who have neither answered nor declined. */
export async function remindNow(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  if (round.status !== 'open') throw new ConflictError('Reminders can only be sent while the round is open.');
  return db.transaction().execute(async (trx) => remind(trx, mail, round, (await repo.listInvitations(trx, round.id)).filter(awaitingAnswer)));
}

export async function changeDeadline(db: Db, clock: Clock, coachId: string, roundId: string, day: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (round.status === 'closed') throw new ConflictError('This round is closed. Reopen it with a new deadline instead.');
  assertFutureDeadline(day, clock.now());
  await db.transaction().execute(async (trx) => {
    await repo.setRoundDeadline(trx, round.id, deadlineInstant(day));
    // Automatic reminders are counted from the new deadline.
    await repo.clearReminderClaims(trx, round.id);
  });
  return getRound(db, coachId, roundId);
}

export async function closeRound(db: Db, clock: Clock, coachId: string, roundId: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!(await closeAndPublish(db, clock, round))) throw new ConflictError('Only an open round can be closed.');
  return getRound(db, coachId, roundId);
}

/**
 * Closes an open round and publishes the next version of its figures when the engine allows it
 * (version 1 once k people other than the client answered; after a reopen, the late answers when
 * they can be told apart from nobody). False when the round was not open.
 */
async function closeAndPublish(db: Db, clock: Clock, round: Round): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundClosed(trx, round.id, clock.now().toISOString()))) return false;
    await publishDueVersion(trx, clock, round);
    return true;
  });
}

/** Reopens a closed round until a new deadline. The page warns first (docs/anonymity.md, rule 7). */
export async function reopenRound(db: Db, clock: Clock, coachId: string, roundId: string, day: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  assertFutureDeadline(day, clock.now());
  await db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundReopened(trx, round.id, deadlineInstant(day), clock.now().toISOString()))) throw new ConflictError('Only a closed round can be reopened.');
    await repo.clearReminderClaims(trx, round.id);
  });
  return getRound(db, coachId, roundId);
}

// Client nomination

/** Emails the client a private link where they propose raters; the coach approves before launch. */
export async function requestNomination(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<void> {
  const round = await getRound(db, coachId, roundId);
  if (round.status !== 'draft') throw new ConflictError('Nominations are asked for before the round is launched.');
  const context = await emailContext(db, round);
  const engagement = await getEngagement(db, coachId, round.engagementId);
  const { token, hash } = newSecretToken();
  const link = `${mail.publicUrl}/n/${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.setNominationToken(trx, round.id, hash, mail.clock.now().toISOString());
    await queueEmail(trx, mail, {
      kind: 'nomination-request',
      to: engagement.clientEmail,
      replyTo: context.coach.email,
      subject: `${engagement.clientName}, who should give you feedback? Please reply by ${formatDay(round.deadline)}`,
      template: 'nomination-request',
      data: {
        clientName: engagement.clientName,
        coachName: context.coach.name,
        link,
        groups: context.groups.filter((group) => !group.self).map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
        k: round.k,
      },
      actionUrl: link,
      roundId: round.id,
    });
  });
}

export interface NominationPage {
  round: Round;
  engagement: Engagement;
  groups: RaterGroup[];
  nominations: repo.Nomination[];
}

/** The round behind a nomination link, while nominations are still useful (before launch). */
export async function findNominationPage(db: Db, token: string): Promise<NominationPage> {
  const round = await repo.findRoundByNominationToken(db, hashToken(isWellFormedToken(token) ? token : `invalid:${token}`));
  if (!round || round.status !== 'draft') throw new NotFoundError('This link is no longer valid. Your coach may have launched the feedback round already.');
  const engagement = await getEngagement(db, round.coachId, round.engagementId);
  return { round, engagement, groups: await repo.listRoundGroups(db, round.id), nominations: await repo.listNominations(db, round.id) };
}

/** The client's proposal replaces their earlier one (the coach's decisions on it are kept). */
export async function submitNominations(db: Db, clock: Clock, token: string, text: string): Promise<{ proposed: number; errors: RaterLineError[] }> {
  const page = await findNominationPage(db, token);
  const decided = page.nominations.filter((nomination) => nomination.status !== 'proposed');
  const invited = await repo.listInvitations(db, page.round.id);
  const parsed = parseRaterList(text, page.groups, {
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

/** Approves proposed nominations: each becomes a rater (skipping anyone already invited). */
export async function approveNominations(db: Db, mail: MailContext, coachId: string, roundId: string, ids: string[] | 'all'): Promise<number> {
  const overview = await roundOverview(db, coachId, roundId);
  const chosen = overview.nominations.filter((nomination) => nomination.status === 'proposed' && (ids === 'all' || ids.includes(nomination.id)));
  if (ids !== 'all' && chosen.length !== ids.length) throw new NotFoundError();
  const taken = new Set(overview.invitations.map((invitation) => invitation.email));
  const fresh = chosen.filter((nomination) => !taken.has(nomination.email));
  return db.transaction().execute(async (trx) => {
    await repo.setNominationStatus(trx, overview.round.id, chosen.map((nomination) => nomination.id), 'approved');
    return fresh.length ? insertRaters(trx, mail, overview.round, fresh) : 0;
  });
}

export async function rejectNomination(db: Db, coachId: string, roundId: string, nominationId: string): Promise<void> {
  const overview = await roundOverview(db, coachId, roundId);
  if (!overview.nominations.some((nomination) => nomination.id === nominationId && nomination.status === 'proposed')) throw new NotFoundError();
  await repo.setNominationStatus(db, overview.round.id, [nominationId], 'rejected');
}

export async function editNomination(db: Db, coachId: string, roundId: string, nominationId: string, entry: RaterEntry): Promise<void> {
  const overview = await roundOverview(db, coachId, roundId);
  if (!overview.nominations.some((nomination) => nomination.id === nominationId && nomination.status === 'proposed')) throw new NotFoundError();
  await repo.updateNomination(db, overview.round.id, nominationId, entry);
}

// Scheduled work

/** Closes every open round whose deadline has passed; safe to run on several instances at once. */
export async function closeOverdueRounds(db: Db, clock: Clock): Promise<number> {
  const now = clock.now().toISOString();
  let closed = 0;
  for (const round of await repo.listOpenRoundsDueToClose(db, now)) {
    if (await closeAndPublish(db, clock, round)) closed += 1;
  }
  return closed;
}

/**
 * Automatic reminders, `daysBefore` the deadline (e.g. [3, 1]). When several are due at once (the
 * server was down, or the round was launched late) only the most urgent goes out; a reminder
 * whose moment came before the launch is skipped. Nobody is reminded twice on the same day.
 */
export async function sendDueReminders(db: Db, mail: MailContext, daysBefore: number[]): Promise<number> {
  const now = mail.clock.now();
  const today = dayOf(now);
  let sent = 0;
  for (const round of await repo.listOpenRounds(db)) {
    if (round.deadline <= now.toISOString()) continue;
    const due = [...daysBefore]
      .sort((a, b) => a - b)
      .filter((days) => addDays(new Date(round.deadline), -days) <= now);
    for (const [index, days] of due.entries()) {
      const moment = addDays(new Date(round.deadline), -days).toISOString();
      const skip = index > 0 || (round.launchedAt ?? '') > moment;
      await db.transaction().execute(async (trx) => {
        if (!(await repo.claimReminder(trx, round.id, days, now.toISOString(), skip)) || skip) return;
        const invitations = (await repo.listInvitations(trx, round.id)).filter(
          (invitation) => awaitingAnswer(invitation) && invitation.lastRemindedOn !== today && !(invitation.status === 'invited' && invitation.statusOn === today),
        );
        sent += await remind(trx, mail, round, invitations);
      });
    }
  }
  return sent;
}
