import type { Db } from '../db/schema';
import { listRoundMessages } from '../mail/outbox.repository';
import { invitationDeliveries, roundDeliveryProblems, type InvitationDelivery, type ProblemGroup } from '../mail/outbox.service';
import { getQuestionnaire } from '../questionnaires/questionnaires.service';
import { countLateAnswersHeld } from '../reports/versions.service';
import { formatDay, formatMoment } from '../views';
import type { Translator } from '../i18n/translator';
import { listNominations } from './nominations.repository';
import { roundOverview } from './round-progress';
import { canChangeRaterLanguage, canLaunch, canRemoveRater, hasChangeReportPage, hasReportPage, roundActions } from './round-rules';
import { LANGUAGE_NAMES } from '../i18n/languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { coachGroupLabel, languageOptions } from './round-form';
import { launchLanguageGaps } from './round-languages';
import type { Invitation, Round } from './rounds.types';

const percent = (rate: number) => Math.round(rate * 100);

/** The emails a rater's delivery line names (roundPage.delivery.*'s `email` argument); any other is "email". */
const EMAIL_KINDS: Record<string, string> = { 'survey-invitation': 'invitation', 'survey-reminder': 'reminder' };

/**
 * The state of an invitation's latest email in the coach's words. Without SMTP a message
 * "delivered" is an .eml file in the outbox folder, and says so.
 */
function deliveryLine(delivery: InvitationDelivery | undefined, writesFiles: boolean, translator: Translator) {
  if (!delivery) return null;
  const email = EMAIL_KINDS[delivery.kind] ?? 'other';
  const state = delivery.state === 'delivered' && writesFiles ? 'savedAsFile' : delivery.state;
  const stateText = translator.t(`roundPage.delivery.${state}`, { email, attempts: delivery.attempts, next: formatMoment(delivery.nextAttemptAt, translator.language) });
  const text = delivery.lastAnswer ? translator.t('roundPage.delivery.withAnswer', { state: stateText, answer: delivery.lastAnswer }) : stateText;
  return { state: delivery.state, text, problem: delivery.state === 'deferred' || delivery.state === 'failed' };
}

/** One line of the delivery problems: who, what the mail server answered, and for deferred emails the next try. */
function problemLine(group: ProblemGroup, kind: 'failed' | 'deferred', translator: Translator): string {
  return translator.t(`roundPage.delivery.${kind}Line`, {
    recipients: group.recipients.join(', '),
    more: group.more,
    answer: group.lastAnswer,
    count: group.count,
    next: formatMoment(group.nextAttemptAt, translator.language),
  });
}


/** The round's questionnaire: frozen in it once launched (or created as a re-run), else the coach's current one. */
async function roundQuestionnaire(db: Db, coachId: string, round: Round): Promise<QuestionnaireDefinition | undefined> {
  if (round.snapshot) return round.snapshot;
  const questionnaire = round.questionnaireId ? await getQuestionnaire(db, coachId, round.questionnaireId).catch(() => undefined) : undefined;
  return questionnaire?.definition;
}

/** Before launch: the languages of the round its questionnaire does not cover yet, each with its count and where to translate it. */
function languageGapsOf(round: Round, questionnaire: QuestionnaireDefinition | undefined, invitations: readonly Invitation[]) {
  if (!canLaunch(round) || !questionnaire) return [];
  return launchLanguageGaps(questionnaire, round, invitations).map((gap) => ({
    language: gap.language,
    name: LANGUAGE_NAMES[gap.language],
    missing: gap.missing.length,
    translateUrl: round.questionnaireId ? `/questionnaires/${round.questionnaireId}/translations/${gap.language}` : null,
  }));
}

/**
 * What the round page shows: progress per rater group, the raters (with their personal links when
 * no email is sent) and the state of each one's latest email, the client's suggestions, the
 * emails deferred or failed (the delivery problems, shown first), and the actions the round's
 * state allows (round-rules.ts). `showLinks` when the server writes .eml files instead of sending;
 * its words in the `translator`'s language (the signed-in coach's).
 */
export async function roundPage(db: Db, coachId: string, roundId: string, options: { showLinks: boolean; translator: Translator }) {
  const { translator } = options;
  const overview = await roundOverview(db, coachId, roundId);
  const { round, engagement } = overview;
  const groups = overview.groups.map((group) => ({ ...group, label: coachGroupLabel(group, translator) }));
  const [messages, deliveries, problems, nominations, held, definition] = await Promise.all([
    options.showLinks ? listRoundMessages(db, round.id) : [],
    invitationDeliveries(db, round.id, overview.invitations.map((invitation) => invitation.id)),
    roundDeliveryProblems(db, round.id),
    listNominations(db, round.id),
    countLateAnswersHeld(db, round),
    roundQuestionnaire(db, coachId, round),
  ]);
  const languageGaps = languageGapsOf(round, definition, overview.invitations);
  const links = new Map<string, string>();
  for (const message of messages) if (message.invitationId && message.actionUrl) links.set(message.invitationId, message.actionUrl);
  const groupLabel = (key: string) => groups.find((group) => group.key === key)?.label ?? key;
  const purposeLabel = translator.t(`report.purpose.${round.purpose}`);
  return {
    title: `${purposeLabel} · ${engagement.clientName}`,
    round: { ...round, languageName: LANGUAGE_NAMES[round.language], purposeLabel, statusLabel: translator.t(`roundPage.status.${round.status}`), deadlineLabel: formatDay(round.deadline, translator.language) },
    engagement,
    groups,
    questionnaireName: definition?.name ?? '–',
    languageGaps,
    languages: languageOptions(round.language),
    status: { draft: round.status === 'draft', open: round.status === 'open', closed: round.status === 'closed', pulse: round.purpose === 'pulse' },
    can: { ...Object.fromEntries(roundActions(round).map((action) => [action, true])), launch: canLaunch(round) && languageGaps.length === 0 },
    hasReport: hasReportPage(round),
    hasChangeReport: hasChangeReportPage(round),
    publication: { latest: round.publishedVersion, held },
    progress: overview.progress.map((row) => ({ ...row, group: { ...row.group, label: coachGroupLabel(row.group, translator) }, ratePercent: percent(row.rate) })),
    totals: { ...overview.totals, ratePercent: percent(overview.totals.rate) },
    invitations: overview.invitations.map((invitation) => ({
      ...invitation,
      groupLabel: groupLabel(invitation.groupKey),
      statusLabel: translator.t(`roundPage.invitation.${invitation.status}`),
      link: options.showLinks ? links.get(invitation.id) : null,
      delivery: deliveryLine(deliveries.get(invitation.id), options.showLinks, translator),
      removable: canRemoveRater(round, invitation),
      languageName: LANGUAGE_NAMES[invitation.language],
      languageChoices: canChangeRaterLanguage(round, invitation) ? languageOptions(invitation.language) : null,
    })),
    nominations: nominations.map((nomination) => ({ ...nomination, groupLabel: groupLabel(nomination.groupKey), proposed: nomination.status === 'proposed' })),
    hasProposedNominations: nominations.some((nomination) => nomination.status === 'proposed'),
    deliveryProblems: {
      ...problems,
      failed: problems.failed.map((group) => problemLine(group, 'failed', translator)),
      deferred: problems.deferred.map((group) => problemLine(group, 'deferred', translator)),
      any: problems.counts.deferred + problems.counts.failed > 0,
    },
  };
}
