import type { MailContext, QueuedEmail } from '../mail/outbox.service';
import { itemCount, type QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { formatDay } from '../views';
import type { Invitation, RaterGroup, Round } from './rounds.types';

// The words of every email a round sends, and of the messages written for its raters. Building an
// email here is pure; round-mail.ts queues them.

/** What every email of a round says about it: who it is about, from whom, by when. */
export interface RoundEmailContext {
  round: Round;
  groups: RaterGroup[];
  clientName: string;
  coach: { name: string; email: string };
}

export type InvitationEmailKind = 'invitation' | 'reminder';

/** What a rater needs, roughly, per rating and per (optional) open question; the survey page's time-left estimate uses the same figures. */
export const ANSWER_SECONDS = { rating: 15, openQuestion: 45 } as const;

/** Minutes a rater needs, roughly (see ANSWER_SECONDS); whole minutes for short surveys, fives for long ones. */
export function estimatedMinutes(questionnaire: QuestionnaireDefinition | null): number | null {
  if (!questionnaire) return null;
  const seconds = itemCount(questionnaire) * ANSWER_SECONDS.rating + questionnaire.openQuestions.length * ANSWER_SECONDS.openQuestion;
  return seconds < 600 ? Math.max(2, Math.ceil(seconds / 60)) : Math.round(seconds / 300) * 5;
}

/** "as their manager", "as one of their peers", "as someone who works with them" (labels are the coach's). */
export function relationshipPhrase(group: RaterGroup | undefined): string {
  if (!group || group.self) return '';
  if (group.key === 'others') return 'as someone who works with them';
  const label = group.label.toLowerCase();
  return group.anonymous ? `as one of their ${label}` : `as their ${label}`;
}

/**
 * The coach's message to raters (the round's `message`). The client rating themself never sees it:
 * it is written to the people giving feedback ("thank you for helping Jordan grow"), not to Jordan.
 */
export function raterMessage(round: Pick<Round, 'message'>, group: RaterGroup | undefined): string {
  return group && !group.self ? round.message : '';
}

/**
 * What a survey is, in the words of its page's heading: "Feedback for Jordan Lee", "Your
 * self-assessment", "A check-in on Jordan Lee's progress" (views/partials/survey-intro.hbs).
 */
export function surveyHeading(purpose: Round['purpose'], isSelf: boolean, clientName: string): string {
  if (purpose === 'pulse') return isSelf ? 'A check-in on your progress' : `A check-in on ${clientName}'s progress`;
  const followUp = purpose === 'evaluation';
  if (isSelf) return followUp ? 'Your follow-up self-assessment' : 'Your self-assessment';
  return `${followUp ? 'Follow-up feedback' : 'Feedback'} for ${clientName}`;
}

export function confidentialityPromise(group: RaterGroup | undefined, k: number, clientName: string): string {
  if (!group || group.self) return 'Your own answers are seen only by you and your coach, and compared in your report with how others see you.';
  if (!group.anonymous) {
    return `As ${clientName}'s ${group.label.toLowerCase()}, your answers are shown in the report as the ${group.label.toLowerCase()}'s answers, separately from others. Your written comments are shown without your name, but may be recognisable as yours.`;
  }
  return `Your answers are confidential. No one, not ${clientName}, not the coach, can see which answers are yours: your ratings are only ever shown combined with those of at least ${k - 1} other people, and comments are shown without names.`;
}

/** A survey invitation or reminder to one rater, carrying its own link (`token`). */
export function surveyEmail(mail: MailContext, context: RoundEmailContext, invitation: Invitation, kind: InvitationEmailKind, token: string): QueuedEmail {
  const link = `${mail.publicUrl}/s/${token}`;
  const group = context.groups.find((candidate) => candidate.key === invitation.groupKey);
  const isSelf = Boolean(group?.self);
  const deadline = formatDay(context.round.deadline);
  const followUp = context.round.purpose === 'evaluation';
  const pulse = context.round.purpose === 'pulse';
  const subject = pulse ? pulseSubject(kind, isSelf, context.clientName, deadline) : subjectFor(kind, isSelf, followUp, context.clientName, deadline);
  return {
    kind: `survey-${kind}`,
    to: invitation.email,
    replyTo: context.coach.email,
    subject,
    template: kind === 'reminder' ? 'survey-reminder' : isSelf ? 'self-invitation' : 'rater-invitation',
    data: {
      raterName: invitation.name,
      clientName: context.clientName,
      coachName: context.coach.name,
      coachEmail: context.coach.email,
      message: kind === 'invitation' ? raterMessage(context.round, group) : '',
      deadline,
      link,
      isSelf,
      followUp,
      pulse,
      relationship: relationshipPhrase(group),
      notAnonymous: group ? !group.anonymous && !group.self : false,
      promise: confidentialityPromise(group, context.round.k, context.clientName),
      minutes: estimatedMinutes(context.round.snapshot),
    },
    actionUrl: link,
    roundId: context.round.id,
    invitationId: invitation.id,
  };
}

function pulseSubject(kind: InvitationEmailKind, isSelf: boolean, clientName: string, deadline: string): string {
  const about = isSelf ? 'your progress' : `${clientName}'s progress`;
  return kind === 'reminder' ? `Reminder: a quick check-in on ${about}, due ${deadline}` : `A quick check-in on ${about}, by ${deadline}`;
}

function subjectFor(kind: InvitationEmailKind, isSelf: boolean, followUp: boolean, clientName: string, deadline: string): string {
  if (kind === 'reminder') {
    return isSelf ? `Reminder: your self-assessment is due ${deadline}` : `Reminder: feedback for ${clientName} is due ${deadline}`;
  }
  if (isSelf) return `${clientName}: your ${followUp ? 'follow-up ' : ''}360 self-assessment, due ${deadline}`;
  return `${followUp ? 'Follow-up feedback' : 'Feedback'} for ${clientName}: please respond by ${deadline}`;
}

/**
 * The message of an evaluation re-run to its raters: a follow-up to the feedback they gave when the
 * baseline was launched ("in March 2026"), describing today rather than remembering then.
 */
export function followUpMessage(baselineLaunchedAt: string): string {
  const when = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(baselineLaunchedAt));
  return `This is a follow-up to the feedback you gave in ${when}. Please describe how things are today; there is no need to remember what you answered then.`;
}

/** The client's private link to suggest raters, with the groups and their minimums. */
export function nominationRequestEmail(context: RoundEmailContext, clientEmail: string, link: string): QueuedEmail {
  return {
    kind: 'nomination-request',
    to: clientEmail,
    replyTo: context.coach.email,
    subject: `${context.clientName}, who should give you feedback? Please reply by ${formatDay(context.round.deadline)}`,
    template: 'nomination-request',
    data: {
      clientName: context.clientName,
      coachName: context.coach.name,
      link,
      groups: context.groups.filter((group) => !group.self).map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
      k: context.round.k,
    },
    actionUrl: link,
    roundId: context.round.id,
  };
}
