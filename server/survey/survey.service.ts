import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { Language } from '../i18n/languages';
import { countRatersByLanguage, setInvitationLanguage } from '../rounds/invitations.repository';
import { confidentialityPromise } from '../rounds/round-emails';
import { languageGivesAway } from '../rounds/round-languages';
import { findRound, type Invitation, type RaterGroup } from '../rounds/rounds.repository';
import { publishDueVersion } from '../reports/versions.service';
import { hashToken, newId } from '../secrets';
import { formatDay } from '../views';
import * as repo from './survey.repository';
import { LaunchedRounds, type LaunchedRound } from './launched-rounds';
import type { Answers, SurveyRound } from './survey.repository';

export type SurveyStatus = 'open' | 'closed' | 'completed' | 'declined';

export interface Survey {
  invitation: Invitation;
  round: SurveyRound;
  questionnaire: QuestionnaireDefinition;
  group: RaterGroup;
  clientName: string;
  coach: { name: string; email: string };
  /** What the rater reads the survey in: their invitation's language (the questionnaire covers it, see LaunchedRounds). */
  language: Language;
  minutes: number | null;
  status: SurveyStatus;
  /** The round's shared, read-only part (see LaunchedRounds). */
  launched: LaunchedRound;
}

/**
 * The survey behind a link. Any token, well-formed or not, costs one hash and one indexed lookup,
 * and every miss is the same NotFoundError: wrong, revoked and made-up links look alike. Callers
 * that open many links (the app, the demo) pass one LaunchedRounds so each round is read once.
 */
export async function findSurvey(db: Db, clock: Clock, token: string, launchedRounds = new LaunchedRounds()): Promise<Survey> {
  const record = await repo.findSurveyRecord(db, hashToken(token));
  const launchedAt = record?.round.launchedAt;
  if (!record || record.round.status === 'draft' || !launchedAt) throw new NotFoundError();
  const { invitation, round, clientName, coach } = record;
  const launched = await launchedRounds.get(db, round.id, launchedAt);
  const group = launched?.groups.find((candidate) => candidate.key === invitation.groupKey);
  if (!launched || !group) throw new NotFoundError();
  const language = launched.readableIn(invitation.language);
  return {
    invitation,
    round,
    questionnaire: launched.questionnaireIn(language),
    group,
    clientName,
    coach,
    language,
    minutes: launched.minutes,
    status: statusOf(invitation, round, clock.now()),
    launched,
  };
}

function statusOf(invitation: Invitation, round: SurveyRound, now: Date): SurveyStatus {
  if (invitation.status === 'completed') return 'completed';
  if (invitation.status === 'declined') return 'declined';
  // The deadline counts even if the scheduled job has not closed the round yet.
  return round.status === 'open' && round.deadline > now.toISOString() ? 'open' : 'closed';
}

function assertOpen(survey: Survey): void {
  if (survey.status === 'completed') throw new ConflictError(new Phrase('error.survey.submitted'));
  if (survey.status === 'declined') throw new ConflictError(new Phrase('error.survey.declined'));
  if (survey.status === 'closed') throw new ConflictError(new Phrase('error.survey.closed'));
}

/** Opening the link moves the rater from "invited" to "opened" (the day only); returns their saved draft. */
export async function openSurvey(db: Db, clock: Clock, survey: Survey): Promise<Answers | undefined> {
  if (survey.status !== 'open') return undefined;
  if (survey.invitation.status === 'invited') await repo.markInvitationOpened(db, survey.invitation.id, dayOf(clock.now()));
  return repo.findDraft(db, survey.invitation.id);
}

export async function saveSurveyDraft(db: Db, survey: Survey, answers: Answers): Promise<void> {
  assertOpen(survey);
  await repo.saveDraft(db, survey.invitation.id, answers);
}

/**
 * Stores the response (round and group only, a random id, no time), marks the invitation
 * completed with the version of the privacy notice the rater confirmed (the day only), drops the
 * draft and queues the thank-you, in one transaction. A second
 * submission of the same link, even at the same instant, finds the invitation completed and
 * changes nothing. After a reopen the answer is held back until it may join a new published
 * version with others (docs/anonymity.md, rule 3); the same transaction publishes that version when it can.
 *
 * The thank-you is forgotten once sent, and not written at all without SMTP (nobody would receive
 * it): either way the outbox keeps no record of when each rater answered (docs/anonymity.md, rule 6).
 */
export async function submitSurvey(db: Db, mail: MailContext, survey: Survey, answers: Answers, noticeVersion: number): Promise<void> {
  assertOpen(survey);
  const day = dayOf(mail.clock.now());
  await db.transaction().execute(async (trx) => {
    if (!(await repo.markInvitationCompleted(trx, survey.invitation.id, day, noticeVersion))) {
      throw new ConflictError(new Phrase('error.survey.submitted'));
    }
    await repo.insertResponse(trx, { id: newId(), roundId: survey.round.id, groupKey: survey.group.key, answers });
    await repo.deleteDraft(trx, survey.invitation.id);
    if (survey.round.publishedVersion > 0) {
      const round = await findRound(trx, survey.round.id);
      if (round) await publishDueVersion(trx, mail.clock, round);
    }
    if (!mail.deliversEmail) return;
    const t = mail.views.translator(survey.language);
    await queueEmail(trx, mail, {
      kind: 'survey-thanks',
      to: survey.invitation.email,
      replyTo: survey.coach.email,
      subject: survey.group.self ? t.t('email.subject.thanksSelf') : t.t('email.subject.thanks', { client: survey.clientName }),
      template: 'survey-thanks',
      data: {
        language: survey.language,
        raterName: survey.invitation.name,
        clientName: survey.clientName,
        coachName: survey.coach.name,
        isSelf: survey.group.self,
        promise: confidentialityPromise(t, survey.group, survey.round.k, survey.clientName),
        deadline: formatDay(survey.round.deadline, survey.language),
      },
      roundId: survey.round.id,
      forgetWhenDone: true,
    });
  });
}

/** Responses re-stored together in one transaction: a few milliseconds of work, and the crowd a new response hides in. */
export const MIX_BATCH = 64;

/**
 * Re-stores every new response among others of its round, in a random order (docs/anonymity.md,
 * rule 6): the background job runs this every second, so a copy of the files taken a few seconds
 * after a submission finds the new response's place unrelated to when it came. Each round is its
 * own short transaction; a burst of more than MIX_BATCH new responses in a round takes several.
 * Safe on several instances: a round's row is locked (PostgreSQL) or the single writer serialises.
 */
export async function mixNewResponses(db: Db, roundsPerPass = 50): Promise<number> {
  let mixed = 0;
  for (const roundId of await repo.listRoundsToMix(db, roundsPerPass)) {
    // Responses that arrive meanwhile wait for the next pass, unless a whole batch of them is
    // waiting already: a round that keeps receiving answers cannot keep the job busy.
    for (let passes = 0; passes < 10; passes += 1) {
      const waiting = await db.transaction().execute((trx) => repo.mixRoundResponses(trx, roundId, MIX_BATCH));
      // SQLite answers synchronously, so without this the whole pass would run before any request.
      await new Promise((resolve) => setImmediate(resolve));
      if (waiting < MIX_BATCH) break;
    }
    mixed += 1;
  }
  return mixed;
}

/**
 * The rater switches the survey's language: what they have answered so far is kept as their draft,
 * and their invitation remembers the language, so the page and every later email (reminders, the
 * thank-you) come in it. Only a language the round's questionnaire covers can be chosen.
 */
export async function switchSurveyLanguage(db: Db, survey: Survey, answers: Answers, language: Language): Promise<void> {
  assertOpen(survey);
  if (!survey.launched.languages.includes(language)) throw new ConflictError(new Phrase('error.survey.languageUnavailable'));
  await db.transaction().execute(async (trx) => {
    await repo.saveDraft(trx, survey.invitation.id, answers);
    await setInvitationLanguage(trx, survey.round.id, survey.invitation.id, language);
  });
}

/**
 * Whether the rater should be told, before the open questions, that their language names them:
 * see round-languages.ts languageGivesAway. One grouped count over the round's invitations.
 */
export async function languageWarning(db: Db, survey: Survey): Promise<{ commonLanguage: Language; raters: number } | null> {
  if (survey.group.self || survey.questionnaire.openQuestions.length === 0 || survey.language === survey.round.language) return null;
  const counts = await countRatersByLanguage(db, survey.round.id);
  if (!languageGivesAway({ language: survey.language, self: false }, survey.round, counts)) return null;
  return { commonLanguage: survey.round.language, raters: survey.round.k };
}

export async function declineSurvey(db: Db, clock: Clock, survey: Survey, reason: string): Promise<void> {
  assertOpen(survey);
  await db.transaction().execute(async (trx) => {
    if (!(await repo.markInvitationDeclined(trx, survey.invitation.id, dayOf(clock.now()), reason))) {
      throw new ConflictError(new Phrase('error.survey.answeredOrDeclined'));
    }
    await repo.deleteDraft(trx, survey.invitation.id);
  });
}
