import { SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import type { QueuedEmail } from '../mail/outbox.service';
import { labelInSentence, privacyPath, raterMessage, relationshipPhrase, surveyHeading } from '../rounds/round-emails';
import type { RaterGroup } from '../rounds/rounds.types';
import { formatDay } from '../views';
import type { RaterSurveyRecord } from './portal.repository';

// The words of the rater's list of surveys, on the portal page and in the email that carries its
// link. Pure: the service reads the surveys and queues the email.

/** A survey with the time it takes, roughly (round-emails estimatedMinutes; null when unknown). */
export type RaterSurvey = RaterSurveyRecord & { minutes: number | null };

/** Where the rater stands with one survey: only they see this, and only for their own surveys. */
export type SurveyProgress = 'not-started' | 'draft' | 'submitted' | 'declined' | 'closed';

/**
 * The language of a list of surveys (the portal page, the combined email) that may each be in
 * another: that of the survey launched last, the newest the rater was asked for (the first listed
 * of those launched at the same moment). Each survey's own page stays in its own language.
 */
export function listLanguage(surveys: readonly Pick<RaterSurveyRecord, 'language' | 'launchedAt'>[]): Language {
  let newest = surveys[0];
  for (const survey of surveys) if (newest && survey.launchedAt > newest.launchedAt) newest = survey;
  return newest?.language ?? SOURCE_LANGUAGE;
}

/**
 * @example
 * progressOf({ status: 'opened', hasDraft: true, deadline: '2026-03-16T23:59:59.999Z' }, new Date('2026-03-10')); // 'draft'
 */
export function progressOf(survey: Pick<RaterSurveyRecord, 'status' | 'hasDraft' | 'deadline'>, now: Date): SurveyProgress {
  if (survey.status === 'completed') return 'submitted';
  if (survey.status === 'declined') return 'declined';
  // The deadline counts even if the scheduled job has not closed the round yet (as on the survey page).
  if (survey.deadline <= now.toISOString()) return 'closed';
  return survey.hasDraft ? 'draft' : 'not-started';
}

/** Who sees the answers of this survey, in one line (the survey page says it in full). */
export function privacyLine(t: Translator, group: RaterGroup, k: number): string {
  if (group.self) return t.t('portal.privacy.self');
  if (!group.anonymous) return t.t('portal.privacy.named', { relationship: relationshipPhrase(t, group), group: labelInSentence(t, group) });
  return t.t('portal.privacy.anonymous', { others: k - 1 });
}

/** One survey as the rater's list shows it, in the list's language. */
export function surveyEntry(t: Translator, survey: RaterSurvey, now: Date) {
  const progress = progressOf(survey, now);
  return {
    invitationId: survey.invitationId,
    heading: surveyHeading(t, survey.purpose, survey.group.self, survey.clientName),
    relationship: relationshipPhrase(t, survey.group),
    deadline: formatDay(survey.deadline, t.language),
    minutes: survey.minutes,
    progress,
    progressLabel: t.t(`portal.progress.${progress}`),
    answerable: progress === 'not-started' || progress === 'draft',
    privacy: privacyLine(t, survey.group, survey.k),
  };
}

/** "Sam Carter is coaching people you work with …": who asks, and for what, in the list's first words. */
function askedFor(t: Translator, coachName: string, surveys: readonly RaterSurvey[]): string {
  const others = surveys.some((survey) => !survey.group.self);
  const self = surveys.some((survey) => survey.group.self);
  if (others && self) return t.t('portal.askedFor.othersAndSelf', { coach: coachName });
  if (others) return t.t('portal.askedFor.others', { coach: coachName });
  return t.t('portal.askedFor.self', { coach: coachName });
}

export interface CombinedEmailInput {
  raterName: string;
  coach: { name: string; email: string };
  /** The rater's personal link to the portal page. */
  link: string;
  /** What the rater owes the coach, in the order of the page: first deadline first. */
  surveys: readonly RaterSurvey[];
  /** Surveys this email invites to for the first time (the others are reminders, or older). */
  newInvitationIds: ReadonlySet<string>;
  now: Date;
}

/**
 * The one email that lists every survey a rater owes a coach, with one link to all of them: an
 * invitation when it brings a new survey, otherwise a reminder.
 */
export function combinedSurveyEmail(translator: (language: Language) => Translator, input: CombinedEmailInput): Pick<QueuedEmail, 'subject' | 'template' | 'data'> {
  const { coach, surveys } = input;
  const language = listLanguage(surveys);
  const t = translator(language);
  const entries = surveys.map((survey) => surveyEntry(t, survey, input.now));
  const bringsNew = surveys.some((survey) => input.newInvitationIds.has(survey.invitationId));
  // What can still be answered is what the email counts (a round past its deadline may not be closed yet).
  const open = surveys.filter((_survey, index) => entries[index]!.answerable);
  const counted = open.length ? open : surveys;
  const firstDeadline = formatDay(counted.map((survey) => survey.deadline).sort()[0], language);
  const subjectValues = { coach: coach.name, count: counted.length, deadline: firstDeadline };
  return {
    subject: t.t(bringsNew ? 'email.subject.portal' : 'email.subject.portalReminder', subjectValues),
    template: 'portal-surveys',
    data: {
      language,
      privacyPath: privacyPath(language),
      raterName: input.raterName,
      coachName: coach.name,
      reminder: !bringsNew,
      intro: askedFor(t, coach.name, surveys),
      count: counted.length,
      link: input.link,
      surveys: surveys.map((survey, index) => {
        const isNew = input.newInvitationIds.has(survey.invitationId);
        return { ...entries[index]!, number: index + 1, isNew, message: isNew ? raterMessage(survey, survey.group) : '' };
      }),
    },
  };
}
