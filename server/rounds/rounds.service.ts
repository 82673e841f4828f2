import { addDays, dayOf, type Clock } from '../clock';
import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import { ConflictError, InvalidError, NotFoundError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { MailContext } from '../mail/outbox.service';
import { whyNotUsable, type QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { getQuestionnaire } from '../questionnaires/questionnaires.service';
import { publishDueVersion } from '../reports/versions.service';
import { newId } from '../secrets';
import { insertInvitations, listInvitations } from './invitations.repository';
import { followUpMessage } from './round-emails';
import { assertLanguagesCovered } from './round-languages';
import { invitePending } from './round-mail';
import { canChangeDeadline, canEditSettings, canLaunch, canReopen, canRerunForEvaluation, deadlineInstant, hasFixedQuestionnaire } from './round-rules';
import { assertFutureDeadline, groupsFromSettings, validateSettings, type RoundSettings } from './round-settings';
import * as repo from './rounds.repository';
import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import type { Round, RoundPurpose } from './rounds.types';

// The round's lifecycle: create (or re-run), change while a draft, launch, move the deadline,
// close (publishing its first version), reopen.

export async function getRound(db: Db, coachId: string, roundId: string): Promise<Round> {
  const round = await repo.findOwnRound(db, coachId, roundId);
  if (!round) throw new NotFoundError();
  return round;
}

async function usableQuestionnaire(db: Db, coachId: string, questionnaireId: string) {
  const questionnaire = await getQuestionnaire(db, coachId, questionnaireId).catch(() => undefined);
  if (!questionnaire) throw new InvalidError(new Phrase('error.round.chooseQuestionnaire'), phrasedFields({ questionnaireId: new Phrase('error.round.chooseOwnQuestionnaire') }));
  const problem = whyNotUsable(questionnaire.definition);
  if (problem) throw new InvalidError(problem, { questionnaireId: `This questionnaire cannot be used yet. ${problem}` });
  return questionnaire;
}

/** The language a new round of the engagement starts in: the engagement's. */
export async function defaultRoundLanguage(db: Db, coachId: string, engagementId: string): Promise<Language> {
  const engagement = await getEngagement(db, coachId, engagementId);
  return repo.findEngagementLanguage(db, engagement.id);
}

/** A new draft round for the engagement; the client is added to the self group straight away. */
export async function createRound(db: Db, clock: Clock, coachId: string, engagementId: string, settings: RoundSettings): Promise<Round> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const questionnaire = await usableQuestionnaire(db, coachId, settings.questionnaireId);
  const groups = groupsFromSettings(settings);
  const now = clock.now();
  validateSettings(settings, groups, now, questionnaire.definition.scale.points);
  const id = newId();
  // The client reads their self-assessment in the engagement's language, whatever the raters'.
  const clientLanguage = await repo.findEngagementLanguage(db, engagement.id);
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
        language: settings.language ?? clientLanguage,
      },
      groups,
    );
    await insertInvitations(trx, id, [
      { id: newId(), groupKey: 'self', email: engagement.clientEmail, name: engagement.clientName, isClient: true, status: 'pending', statusOn: null, language: clientLanguage },
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
  const [groups, invitations, clientLanguage] = await Promise.all([repo.listRoundGroups(db, base.id), listInvitations(db, base.id), repo.findEngagementLanguage(db, base.engagementId)]);
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
        language: base.language,
      },
      groups,
    );
    await insertInvitations(
      trx,
      id,
      invitations
        .filter((invitation) => invitation.status !== 'declined' && invitation.status !== 'pending')
        // Each rater keeps the language they last read the survey in; the client takes the engagement's as it is now.
        .map((invitation) => ({
          id: newId(),
          groupKey: invitation.groupKey,
          email: invitation.email,
          name: invitation.name,
          isClient: invitation.isClient,
          status: 'pending',
          statusOn: null,
          language: invitation.isClient ? clientLanguage : invitation.language,
        })),
    );
  });
  return getRound(db, coachId, id);
}

/**
 * "Re-run for evaluation": the same questionnaire snapshot, groups and raters, new links, a new
 * deadline, and a follow-up message in the round's language (`translate` gives its words).
 */
export async function rerunForEvaluation(db: Db, clock: Clock, coachId: string, baselineRoundId: string, translate: (language: Language) => Translator): Promise<Round> {
  const baseline = await getRound(db, coachId, baselineRoundId);
  if (!canRerunForEvaluation(baseline)) throw new ConflictError(new Phrase('error.round.rerunOnlyClosedBaseline'));
  return createLinkedRound(db, clock, coachId, baseline, {
    purpose: 'evaluation',
    snapshot: baseline.snapshot,
    deadlineDay: dayOf(addDays(clock.now(), 14)),
    message: followUpMessage(translate(baseline.language), baseline.launchedAt ?? baseline.createdAt),
  });
}

/** The settings a linked round still allows before launch: its deadline and message. */
export async function updateLinkedRoundDetails(db: Db, clock: Clock, coachId: string, roundId: string, details: { deadlineDay: string; message: string }): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!canEditSettings(round) || !hasFixedQuestionnaire(round)) throw new ConflictError(new Phrase('error.round.onlyDraftRerun'));
  assertFutureDeadline(details.deadlineDay, clock.now());
  await repo.setRoundDeadlineAndMessage(db, round.id, deadlineInstant(details.deadlineDay), details.message);
  return getRound(db, coachId, roundId);
}

export async function updateDraftSettings(db: Db, clock: Clock, coachId: string, roundId: string, settings: RoundSettings): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!canEditSettings(round)) throw new ConflictError(new Phrase('error.round.onlyDraft'));
  const questionnaire = await usableQuestionnaire(db, coachId, settings.questionnaireId);
  const groups = groupsFromSettings(settings);
  validateSettings(settings, groups, clock.now(), questionnaire.definition.scale.points);
  await db.transaction().execute(async (trx) => {
    await repo.updateDraftRound(trx, round.id, { ...settings, deadline: deadlineInstant(settings.deadlineDay), language: settings.language ?? round.language });
    await repo.replaceRaterGroups(trx, round.id, groups);
  });
  return getRound(db, coachId, roundId);
}

/** A draft round's language (the raters' default); raters already in it keep theirs. */
export async function changeRoundLanguage(db: Db, coachId: string, roundId: string, language: Language): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!canEditSettings(round)) throw new ConflictError(new Phrase('error.round.languageKept'));
  await repo.setDraftRoundLanguage(db, round.id, language);
  return getRound(db, coachId, roundId);
}

/** Freezes the questionnaire into the round, opens it, and queues every invitation, all in one transaction. */
export async function launchRound(db: Db, mail: MailContext, coachId: string, roundId: string): Promise<number> {
  const round = await getRound(db, coachId, roundId);
  if (!canLaunch(round)) throw new ConflictError(new Phrase('error.round.alreadyLaunched'));
  const now = mail.clock.now();
  if (round.deadline <= now.toISOString()) throw new ConflictError(new Phrase('error.round.deadlinePassed'));
  const snapshot = round.snapshot ?? (round.questionnaireId ? (await usableQuestionnaire(db, coachId, round.questionnaireId)).definition : null);
  if (!snapshot) throw new ConflictError(new Phrase('error.round.noQuestionnaire'));
  assertLanguagesCovered(snapshot, round, await listInvitations(db, round.id));
  return db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundLaunched(trx, round.id, snapshot, now.toISOString()))) {
      throw new ConflictError(new Phrase('error.round.alreadyLaunched'));
    }
    return invitePending(trx, mail, { ...round, snapshot, status: 'open' });
  });
}

export async function changeDeadline(db: Db, clock: Clock, coachId: string, roundId: string, day: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!canChangeDeadline(round)) throw new ConflictError(new Phrase('error.round.closedReopen'));
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
  if (!(await closeAndPublish(db, clock, round))) throw new ConflictError(new Phrase('error.round.onlyOpenClose'));
  return getRound(db, coachId, roundId);
}

/**
 * Closes an open round and publishes the next version of its figures when the engine allows it
 * (version 1 once k people other than the client answered; after a reopen, the late answers when
 * they can be told apart from nobody). False when the round was not open: of two instances closing
 * it at once, one does.
 */
export async function closeAndPublish(db: Db, clock: Clock, round: Round): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundClosed(trx, round.id, clock.now().toISOString()))) return false;
    await publishDueVersion(trx, clock, round);
    return true;
  });
}

/** Reopens a closed round until a new deadline. The page warns first (docs/anonymity.md, rule 7). */
export async function reopenRound(db: Db, clock: Clock, coachId: string, roundId: string, day: string): Promise<Round> {
  const round = await getRound(db, coachId, roundId);
  if (!canReopen(round)) throw new ConflictError(new Phrase('error.round.onlyClosedReopen'));
  assertFutureDeadline(day, clock.now());
  await db.transaction().execute(async (trx) => {
    if (!(await repo.markRoundReopened(trx, round.id, deadlineInstant(day), clock.now().toISOString()))) throw new ConflictError(new Phrase('error.round.onlyClosedReopen'));
    await repo.clearReminderClaims(trx, round.id);
  });
  return getRound(db, coachId, roundId);
}
