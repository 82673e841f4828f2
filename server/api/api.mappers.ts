import type { z } from '@hono/zod-openapi';
import type { Engagement, StageEntry } from '../engagements/engagements.types';
import { itemCount, toExportDocument } from '../questionnaires/questionnaire-definition';
import { coveredLanguages, sourceLanguageOf } from '../questionnaires/questionnaire-languages';
import type { Questionnaire } from '../questionnaires/questionnaires.types';
import type { RaterRow } from '../rounds/rater-list';
import type { RoundOverview } from '../rounds/round-progress';
import type { Invitation } from '../rounds/rounds.types';
import type { DeliveryProblems, InvitationDelivery, MessageDelivery } from '../mail/outbox.service';
import { roundActions } from '../rounds/round-rules';
import { DEFAULT_GROUPS, type RoundSettings } from '../rounds/round-settings';
import type { VersionWithLeaders } from '../norms/leaders.service';
import { normSubjectFigure } from '../norms/norm-view';
import type { NormSummary, StoredNorm } from '../norms/norms.service';
import type { Team, TeamMember } from '../teams/teams.service';
import type {
  EmailSchema,
  EngagementSchema,
  InvitationSchema,
  NewRoundSchema,
  NormSchema,
  NormSummarySchema,
  QuestionnaireSchema,
  QuestionnaireSummarySchema,
  QuestionnaireVersionSchema,
  RatersSchema,
  RoundSchema,
  TeamSchema,
  TeamSummarySchema,
} from './api.schemas';

// Between the services' domain objects and the API's JSON, in both directions. Each answer is typed
// by the schema the OpenAPI document is generated from, so the two cannot drift apart.

export function engagementDto(engagement: Engagement, timeline: StageEntry[]): z.input<typeof EngagementSchema> {
  return {
    id: engagement.id,
    clientName: engagement.clientName,
    clientEmail: engagement.clientEmail,
    organisation: engagement.organisation,
    role: engagement.role,
    startDate: engagement.startDate,
    notes: engagement.notes,
    language: engagement.language,
    stage: engagement.stage,
    archived: engagement.archived,
    stages: timeline.map((entry) => ({ stage: entry.stage, enteredOn: entry.enteredOn })),
  };
}

export function questionnaireSummaryDto(questionnaire: Questionnaire): z.input<typeof QuestionnaireSummarySchema> {
  return {
    id: questionnaire.id,
    name: questionnaire.name,
    builtin: questionnaire.builtin,
    competencies: questionnaire.definition.competencies.length,
    items: itemCount(questionnaire.definition),
    scalePoints: questionnaire.definition.scale.points,
    language: sourceLanguageOf(questionnaire.definition),
    languages: coveredLanguages(questionnaire.definition),
  };
}

export function questionnaireDto(questionnaire: Questionnaire): z.input<typeof QuestionnaireSchema> {
  const { definition } = questionnaire;
  return { id: questionnaire.id, builtin: questionnaire.builtin, language: sourceLanguageOf(definition), languages: coveredLanguages(definition), document: toExportDocument(definition) };
}

export function roundDto({ round, progress }: RoundOverview, problems: DeliveryProblems): z.input<typeof RoundSchema> {
  return {
    id: round.id,
    engagementId: round.engagementId,
    purpose: round.purpose,
    status: round.status,
    deadline: round.deadline,
    k: round.k,
    tau: round.tau,
    baselineRoundId: round.baselineRoundId,
    language: round.language,
    actions: roundActions(round),
    groups: progress.map((row) => ({
      key: row.group.key,
      label: row.group.label,
      minimum: row.group.minimum,
      anonymous: row.group.anonymous,
      invited: row.invited,
      opened: row.opened,
      completed: row.completed,
      declined: row.declined,
    })),
    deliveryProblems: problems.counts,
  };
}

export function invitationDto(invitation: Invitation, delivery: InvitationDelivery | undefined): z.input<typeof InvitationSchema> {
  return {
    id: invitation.id,
    email: invitation.email,
    name: invitation.name,
    group: invitation.groupKey,
    client: invitation.isClient,
    language: invitation.language,
    status: invitation.status,
    statusOn: invitation.statusOn,
    declineReason: invitation.declineReason,
    delivery: delivery
      ? { email: delivery.kind === 'survey-reminder' ? 'reminder' : 'invitation', state: delivery.state, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastAnswer: delivery.lastAnswer }
      : null,
  };
}

export function emailDto(email: MessageDelivery): z.input<typeof EmailSchema> {
  return {
    id: email.id,
    kind: email.kind,
    recipient: email.recipient,
    subject: email.subject,
    invitationId: email.invitationId,
    createdAt: email.createdAt,
    sentAt: email.sentAt,
    state: email.state,
    attempts: email.attempts,
    nextAttemptAt: email.nextAttemptAt,
    lastAnswer: email.lastAnswer,
  };
}

/**
 * A new round's settings from the API's body. Groups left out keep their defaults; an anonymous
 * group's default minimum is raised to k, as the round form does.
 */
export function roundSettingsFrom(body: z.output<typeof NewRoundSchema>): RoundSettings {
  return {
    questionnaireId: body.questionnaireId,
    purpose: body.purpose,
    deadlineDay: body.deadline,
    message: body.message,
    k: body.k,
    tau: body.tau,
    ...(body.language ? { language: body.language } : {}),
    groups: DEFAULT_GROUPS.map((group) => {
      const chosen = body.groups?.[group.key as keyof NonNullable<typeof body.groups>];
      const anonymous = chosen?.anonymous ?? group.anonymous;
      return { label: chosen?.label ?? group.label, minimum: chosen?.minimum ?? (anonymous ? Math.max(group.minimum, body.k) : group.minimum), anonymous };
    }),
  };
}

/** The API's raters as the rows the service checks; `line` numbers them so problems name `raters.<index>`. */
export function raterRows(raters: z.output<typeof RatersSchema>['raters']): RaterRow[] {
  return raters.map((rater, index) => ({ line: index + 1, ...rater }));
}

/** The service names settings as the web form does (`deadlineDay`, `groups.2.minimum`); the API's fields are `deadline` and `groups.peers.minimum`. */
export function apiFieldNames(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, message]) => [
      name.replace(/^deadlineDay$/, 'deadline').replace(/^groups\.(\d+)\./, (_match, index: string) => `groups.${DEFAULT_GROUPS[Number(index)]?.key ?? index}.`),
      message,
    ]),
  );
}

export function questionnaireVersionDto(version: VersionWithLeaders): z.input<typeof QuestionnaireVersionSchema> {
  return { version: version.version, questionnaireName: version.questionnaireName, competencies: version.competencies, items: version.items, leaders: version.leaders };
}

export function normSummaryDto(norm: NormSummary): z.input<typeof NormSummarySchema> {
  return {
    id: norm.id,
    name: norm.name,
    questionnaireVersion: norm.questionnaireVersion,
    questionnaireName: norm.questionnaireName,
    sequence: norm.sequence,
    leaders: norm.leaders,
    minimumLeaders: norm.minimumLeaders,
    k: norm.k,
    createdAt: norm.createdAt,
    archived: norm.archivedAt !== null,
  };
}

/** A norm as its page shows it: per subject the number of leaders and their average, never a leader's value. */
export function normDto(norm: StoredNorm): z.input<typeof NormSchema> {
  const figure = (id: string) => {
    const found = normSubjectFigure(norm, id);
    return { leaders: found?.leaders ?? null, average: found?.average ?? null };
  };
  return {
    ...normSummaryDto(norm),
    competencies: norm.structure.competencies.map((competency) => ({
      id: competency.id,
      name: competency.name,
      ...figure(competency.id),
      items: competency.items.map((item) => ({ id: item.id, text: item.text, ...figure(item.id) })),
    })),
  };
}

export function teamSummaryDto(team: Team): z.input<typeof TeamSummarySchema> {
  return { id: team.id, name: team.name, questionnaireVersion: team.questionnaireVersion, questionnaireName: team.questionnaireName, members: team.members, createdAt: team.createdAt, updatedAt: team.updatedAt };
}

export function teamDto(team: Team, members: TeamMember[]): z.input<typeof TeamSchema> {
  return { ...teamSummaryDto(team), leaders: members.map((member) => ({ engagementId: member.engagementId, clientName: member.clientName, organisation: member.organisation })) };
}
