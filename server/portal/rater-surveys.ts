import type { QueuedEmail } from '../mail/outbox.service';
import { raterMessage, relationshipPhrase, surveyHeading } from '../rounds/round-emails';
import type { RaterGroup } from '../rounds/rounds.types';
import { formatDay } from '../views';
import type { RaterSurveyRecord } from './portal.repository';

// The words of the rater's list of surveys, on the portal page and in the email that carries its
// link. Pure: the service reads the surveys and queues the email.

/** A survey with the time it takes, roughly (round-emails estimatedMinutes; null when unknown). */
export type RaterSurvey = RaterSurveyRecord & { minutes: number | null };

/** Where the rater stands with one survey: only they see this, and only for their own surveys. */
export type SurveyProgress = 'not-started' | 'draft' | 'submitted' | 'declined' | 'closed';

const PROGRESS_LABELS: Record<SurveyProgress, string> = {
  'not-started': 'Not started',
  draft: 'Draft saved',
  submitted: 'Submitted',
  declined: 'Declined',
  closed: 'Closed',
};

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
export function privacyLine(group: RaterGroup, k: number): string {
  if (group.self) return 'Your own view: seen by you and your coach, beside how others see you.';
  const label = group.label.toLowerCase();
  if (!group.anonymous) return `Not anonymous: as their ${label}, your answers are shown as the ${label}'s answers, apart from others'.`;
  return `Confidential: your ratings are only shown combined with those of at least ${k - 1} other people, and comments without names.`;
}

/** One survey as the rater's list shows it. */
export function surveyEntry(survey: RaterSurvey, now: Date) {
  const progress = progressOf(survey, now);
  return {
    invitationId: survey.invitationId,
    heading: surveyHeading(survey.purpose, survey.group.self, survey.clientName),
    relationship: relationshipPhrase(survey.group),
    deadline: formatDay(survey.deadline),
    minutes: survey.minutes,
    progress,
    progressLabel: PROGRESS_LABELS[progress],
    answerable: progress === 'not-started' || progress === 'draft',
    privacy: privacyLine(survey.group, survey.k),
  };
}

/** "Sam Carter is coaching people you work with …": who asks, and for what, in the list's first words. */
function askedFor(coachName: string, surveys: readonly RaterSurvey[]): string {
  const others = surveys.some((survey) => !survey.group.self);
  const self = surveys.some((survey) => survey.group.self);
  if (others && self) return `${coachName} is coaching people you work with, and you, and would value your honest view of how each of you works.`;
  if (others) return `${coachName} is coaching people you work with and would value your honest view of how each of them works.`;
  return `${coachName} asks for your own view of how you work.`;
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
export function combinedSurveyEmail(input: CombinedEmailInput): Pick<QueuedEmail, 'subject' | 'template' | 'data'> {
  const { coach, surveys } = input;
  const entries = surveys.map((survey) => surveyEntry(survey, input.now));
  const bringsNew = surveys.some((survey) => input.newInvitationIds.has(survey.invitationId));
  // What can still be answered is what the email counts (a round past its deadline may not be closed yet).
  const open = surveys.filter((_survey, index) => entries[index]!.answerable);
  const counted = open.length ? open : surveys;
  const firstDeadline = formatDay(counted.map((survey) => survey.deadline).sort()[0]);
  const count = `${counted.length} ${counted.length === 1 ? 'survey' : 'surveys'}`;
  return {
    subject: bringsNew ? `Feedback requests from ${coach.name}: ${count}, the first due ${firstDeadline}` : `Reminder: ${count} for ${coach.name} still open, the first due ${firstDeadline}`,
    template: 'portal-surveys',
    data: {
      raterName: input.raterName,
      coachName: coach.name,
      reminder: !bringsNew,
      intro: askedFor(coach.name, surveys),
      count,
      link: input.link,
      surveys: surveys.map((survey, index) => {
        const isNew = input.newInvitationIds.has(survey.invitationId);
        return { ...entries[index]!, number: index + 1, isNew, message: isNew ? raterMessage(survey, survey.group) : '' };
      }),
    },
  };
}
