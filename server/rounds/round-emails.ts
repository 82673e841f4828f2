import type { MailContext, QueuedEmail } from '../mail/outbox.service';
import { itemCount, type QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import { formatDay } from '../views';
import { DEFAULT_GROUPS } from './round-settings';
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

/** The privacy notice in the reader's language: its plain address in English, the source language. */
export function privacyPath(language: Language): string {
  return language === SOURCE_LANGUAGE ? '/privacy' : `/privacy?lang=${language}`;
}

/** A group's label as a rater reads it: the default labels in the rater's language, the coach's own labels as written. */
export function groupLabel(t: Translator, group: RaterGroup): string {
  const byDefault = DEFAULT_GROUPS.find((candidate) => candidate.key === group.key);
  return byDefault && !group.self && byDefault.label.toLowerCase() === group.label.toLowerCase() ? t.t(`survey.group.${group.key}`) : group.label;
}

/** A label inside a sentence: lowercase, except in German, which capitalises its nouns. */
export function labelInSentence(t: Translator, group: RaterGroup): string {
  const label = groupLabel(t, group);
  return t.language === 'de' ? label : label.toLowerCase();
}

/** "as their manager", "as one of their peers", "as someone who works with them" (labels are the coach's). */
export function relationshipPhrase(t: Translator, group: RaterGroup | undefined): string {
  if (!group || group.self) return '';
  if (group.key === 'others') return t.t('survey.relationship.others');
  return t.t(group.anonymous ? 'survey.relationship.anonymous' : 'survey.relationship.named', { group: labelInSentence(t, group) });
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
export function surveyHeading(t: Translator, purpose: Round['purpose'], isSelf: boolean, clientName: string): string {
  const client = { client: clientName };
  if (purpose === 'pulse') return isSelf ? t.t('survey.heading.pulseSelf') : t.t('survey.heading.pulseOther', client);
  const followUp = purpose === 'evaluation';
  if (isSelf) return t.t(followUp ? 'survey.heading.selfFollowUp' : 'survey.heading.self');
  return t.t(followUp ? 'survey.heading.followUp' : 'survey.heading.feedback', client);
}

export function confidentialityPromise(t: Translator, group: RaterGroup | undefined, k: number, clientName: string): string {
  if (!group || group.self) return t.t('survey.promise.self');
  if (!group.anonymous) return t.t('survey.promise.named', { client: clientName, group: labelInSentence(t, group) });
  return t.t('survey.promise.anonymous', { client: clientName, others: k - 1 });
}

/** A survey invitation or reminder to one rater, carrying its own link (`token`), in the rater's language. */
export function surveyEmail(mail: MailContext, context: RoundEmailContext, invitation: Invitation, kind: InvitationEmailKind, token: string): QueuedEmail {
  const t = mail.views.translator(invitation.language);
  const link = `${mail.publicUrl}/s/${token}`;
  const group = context.groups.find((candidate) => candidate.key === invitation.groupKey);
  const isSelf = Boolean(group?.self);
  const deadline = formatDay(context.round.deadline, invitation.language);
  const followUp = context.round.purpose === 'evaluation';
  const pulse = context.round.purpose === 'pulse';
  return {
    kind: `survey-${kind}`,
    to: invitation.email,
    replyTo: context.coach.email,
    subject: t.t(subjectKey(kind, isSelf, followUp, pulse), { client: context.clientName, deadline }),
    template: kind === 'reminder' ? 'survey-reminder' : isSelf ? 'self-invitation' : 'rater-invitation',
    data: {
      language: invitation.language,
      privacyPath: privacyPath(invitation.language),
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
      relationship: relationshipPhrase(t, group),
      notAnonymous: group ? !group.anonymous && !group.self : false,
      promise: confidentialityPromise(t, group, context.round.k, context.clientName),
      minutes: estimatedMinutes(context.round.snapshot),
    },
    actionUrl: link,
    roundId: context.round.id,
    invitationId: invitation.id,
  };
}

/** The catalogue key of an invitation's or reminder's subject (email.subject.*). */
function subjectKey(kind: InvitationEmailKind, isSelf: boolean, followUp: boolean, pulse: boolean): string {
  const self = isSelf ? 'Self' : '';
  if (pulse) return kind === 'reminder' ? `email.subject.pulseReminder${self}` : `email.subject.pulse${self}`;
  if (kind === 'reminder') return `email.subject.reminder${self}`;
  if (isSelf) return followUp ? 'email.subject.selfFollowUp' : 'email.subject.self';
  return followUp ? 'email.subject.followUp' : 'email.subject.feedback';
}

/**
 * The message of an evaluation re-run to its raters, in `t`'s language (the round's, which the
 * raters read by default): a follow-up to the feedback they gave when the baseline was launched
 * ("in March 2026", "en mars 2026"), describing today rather than remembering then. The coach can
 * change it before launching.
 */
export function followUpMessage(t: Translator, baselineLaunchedAt: string): string {
  const when = new Intl.DateTimeFormat(t.language === SOURCE_LANGUAGE ? 'en-GB' : t.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(baselineLaunchedAt));
  return t.t('roundForm.followUpMessage', { when });
}

/** The client's private link to suggest raters, with the groups and their minimums, in the engagement's language (the client's). */
export function nominationRequestEmail(mail: MailContext, context: RoundEmailContext, client: { email: string; language: Language }, link: string): QueuedEmail {
  const t = mail.views.translator(client.language);
  return {
    kind: 'nomination-request',
    to: client.email,
    replyTo: context.coach.email,
    subject: t.t('email.nomination.subject', { client: context.clientName, deadline: formatDay(context.round.deadline, client.language) }),
    template: 'nomination-request',
    data: {
      language: client.language,
      clientName: context.clientName,
      coachName: context.coach.name,
      link,
      groups: context.groups.filter((group) => !group.self).map((group) => ({ label: groupLabel(t, group), minimum: group.minimum, anonymous: group.anonymous })),
      k: context.round.k,
    },
    actionUrl: link,
    roundId: context.round.id,
  };
}
