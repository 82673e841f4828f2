import type { Stage } from '../engagements/stages';
import { Phrase } from '../i18n/phrase';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { Invitation, InvitationCounts, InvitationStatus, Round } from './rounds.types';

// What may be done with a round in each state. Pure predicates, so the pages (which buttons to
// show), the services (what to refuse) and the API (which actions it lists) cannot drift apart.

/** A deadline is a day; the round closes at the end of it (UTC). */
export function deadlineInstant(day: string): string {
  return `${day}T23:59:59.999Z`;
}

/** Why a deadline day cannot be chosen now, or null when it can. */
export function deadlineProblem(day: string, now: Date): Phrase | null {
  return deadlineInstant(day) <= now.toISOString() ? new Phrase('error.round.deadlineToday') : null;
}

/** A round whose questionnaire was fixed when it was created (a re-run or a pulse) keeps it. */
export function hasFixedQuestionnaire(round: Round): boolean {
  return round.baselineRoundId !== null && round.snapshot !== null;
}

/** Settings, questionnaire and groups change only before launch. */
export function canEditSettings(round: Round): boolean {
  return round.status === 'draft';
}

export function canLaunch(round: Round): boolean {
  return round.status === 'draft';
}

/** Raters can be added until the round closes. */
export function canAddRaters(round: Round): boolean {
  return round.status !== 'closed';
}

/** In an open round a rater added is invited at once; in a draft, at launch. */
export function invitesAtOnce(round: Round): boolean {
  return round.status === 'open';
}

/** Why this rater cannot be removed, or null when they can. */
export function whyRaterStays(round: Round, invitation: Invitation): Phrase | null {
  if (invitation.isClient) return new Phrase('error.raters.clientStays');
  if (invitation.status === 'completed') return new Phrase('error.raters.answeredStays');
  if (round.status === 'closed') return new Phrase('error.raters.roundIsClosed');
  return null;
}

/** A rater's language can be changed until they answer or decline, and while the round is not closed. */
export function canChangeRaterLanguage(round: Round, invitation: Invitation): boolean {
  return round.status !== 'closed' && (invitation.status === 'pending' || invitation.status === 'invited' || invitation.status === 'opened');
}

export function canRemoveRater(round: Round, invitation: Invitation): boolean {
  return whyRaterStays(round, invitation) === null;
}

const REACHED: Record<InvitationStatus, Array<keyof InvitationCounts>> = {
  pending: [],
  invited: ['invited'],
  opened: ['invited', 'opened'],
  completed: ['invited', 'opened', 'completed'],
  declined: ['invited', 'declined'],
};

/** Adds `count` invitations of `status` to the counts: "opened" counts everyone who got at least that far. */
export function tallyInvitations(counts: InvitationCounts, status: InvitationStatus, count = 1): void {
  for (const step of REACHED[status]) counts[step] += count;
}

export function noInvitations(): InvitationCounts {
  return { invited: 0, opened: 0, completed: 0, declined: 0 };
}

/** Who may still be reminded: asked, not answered, not declined. */
export function awaitsAnswer(invitation: Invitation): boolean {
  return invitation.status === 'invited' || invitation.status === 'opened';
}

export function canRemind(round: Round): boolean {
  return round.status === 'open';
}

export function canChangeDeadline(round: Round): boolean {
  return round.status !== 'closed';
}

export function canClose(round: Round): boolean {
  return round.status === 'open';
}

/** A closed round can be reopened, after a warning (docs/anonymity.md, rule 7). */
export function canReopen(round: Round): boolean {
  return round.status === 'closed';
}

/** A baseline can be re-run once it is closed: the evaluation then compares against a finished round. */
export function canRerunForEvaluation(round: Round): round is Round & { snapshot: QuestionnaireDefinition } {
  return round.purpose === 'baseline' && round.snapshot !== null && round.status === 'closed';
}

/** The client suggests raters before launch. */
export function canAskForNominations(round: Round): boolean {
  return round.status === 'draft';
}

/** A launched round has a report page (with figures once a version is published). */
export function hasReportPage(round: Round): boolean {
  return round.status !== 'draft';
}

/** A launched evaluation round has a change report page against its baseline (a draft re-run has its snapshot already, but no answers). */
export function hasChangeReportPage(round: Round): boolean {
  return round.purpose === 'evaluation' && round.baselineRoundId !== null && round.status !== 'draft';
}

/** The report of a closed round with a published version can be released to the client. */
export function canRelease(round: Round): boolean {
  return round.status === 'closed' && round.publishedVersion > 0;
}

/** A change report has figures once both rounds have a published version (docs/anonymity.md, rule 3). */
export function changeIsPublished(baseline: Round, evaluation: Round): boolean {
  return baseline.publishedVersion > 0 && evaluation.publishedVersion > 0;
}

/**
 * Once the evaluation's change report is published, the engagement page and the change report offer
 * to move the engagement to "Evaluation and closure" (unless it is there already).
 */
export function offerClosure(stage: Stage, change: { baseline: Round; evaluation: Round } | null): boolean {
  return change !== null && changeIsPublished(change.baseline, change.evaluation) && stage !== 'evaluation';
}

export const ROUND_ACTIONS = ['edit', 'launch', 'addRaters', 'remind', 'changeDeadline', 'close', 'reopen', 'rerun', 'askForNominations', 'release'] as const;
export type RoundAction = (typeof ROUND_ACTIONS)[number];

/** Every action the round allows now: the round page's buttons, and `actions` in the API's round. */
export function roundActions(round: Round): RoundAction[] {
  const rules: Record<RoundAction, (round: Round) => boolean> = {
    edit: canEditSettings,
    launch: canLaunch,
    addRaters: canAddRaters,
    remind: canRemind,
    changeDeadline: canChangeDeadline,
    close: canClose,
    reopen: canReopen,
    rerun: canRerunForEvaluation,
    askForNominations: canAskForNominations,
    release: canRelease,
  };
  return ROUND_ACTIONS.filter((action) => rules[action](round));
}
