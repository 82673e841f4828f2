import { z } from '@hono/zod-openapi';
import { STAGE_KEYS } from '../engagements/stages';
import { calendarDay, emailAddress, requiredText, text } from '../http/fields';
import { LANGUAGES } from '../i18n/languages';
import { questionnaireInputSchema } from '../questionnaires/questionnaire-definition';
import { ROUND_ACTIONS } from '../rounds/round-rules';

// The schemas that validate API requests are the ones the OpenAPI document is generated from,
// so the documentation cannot drift from what the server accepts.

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid' }),
      message: z.string().openapi({ example: 'Some fields need your attention.' }),
      details: z.unknown().optional().openapi({ description: 'For validation errors: a message per offending field, e.g. {"raters.2.email": "…"}.' }),
    }),
  })
  .openapi('Error');

export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'h-X8_-fApL1JPpNMiYymtQ' }) });

const Stage = z.enum(STAGE_KEYS).openapi({ description: 'Coaching stage.' });

const ClientLanguage = z.enum(LANGUAGES).openapi({ description: "The client's language: their released report and the emails they get are written in it." });

export const EngagementSchema = z
  .object({
    id: z.string(),
    clientName: z.string(),
    clientEmail: z.string(),
    organisation: z.string(),
    role: z.string(),
    startDate: z.string().openapi({ example: '2026-03-02' }),
    notes: z.string(),
    language: ClientLanguage,
    stage: Stage,
    archived: z.boolean(),
    stages: z.array(z.object({ stage: Stage, enteredOn: z.string() })).openapi({ description: 'The stage timeline, oldest first.' }),
  })
  .openapi('Engagement');

export const EngagementPageSchema = pageSchema(EngagementSchema, 'EngagementPage', 'A page of engagements and the URL of the next page.');

export const NewEngagementSchema = z
  .object({
    clientName: requiredText(120, 'clientName'),
    clientEmail: emailAddress('clientEmail'),
    organisation: text(200, 'organisation').default(''),
    role: text(200, 'role').default(''),
    startDate: calendarDay('startDate').optional().openapi({ description: 'Defaults to today.' }),
    notes: text(5000, 'notes').default(''),
    language: ClientLanguage.optional().openapi({ description: "The client's language (their report and emails); defaults to the coach's account language." }),
    stage: Stage.default('contracting'),
  })
  .openapi('NewEngagement');

export const EngagementPatchSchema = z
  .object({
    clientName: requiredText(120, 'clientName'),
    clientEmail: emailAddress('clientEmail'),
    organisation: text(200, 'organisation'),
    role: text(200, 'role'),
    notes: text(5000, 'notes'),
    language: ClientLanguage,
    stage: Stage,
  })
  .partial()
  .openapi('EngagementPatch');

/**
 * Every list is read a page at a time: `limit` items (default 50, at most 100) and, in `next`, the
 * URL of the following page with the same filters (null on the last page). A page continues after
 * the last item of the previous one in the list's order, so items added meanwhile do not shift it.
 */
const PAGE_QUERY = {
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: 'Items per page (1 to 100).', example: 50 }),
  cursor: z.string().max(400).optional().openapi({ description: 'Where the page starts: taken from the previous page\'s `next` URL. Leave it out for the first page.' }),
};

/** A page of a list: its items and the URL of the next page. */
export function pageSchema<T extends z.ZodType>(item: T, name: string, description: string) {
  return z
    .object({
      items: z.array(item),
      next: z.string().nullable().openapi({ description: 'The URL of the next page (same filters and limit), or null on the last page.', example: 'https://feedback.example.com/api/v1/engagements?limit=50&cursor=WyIyMDI2LTAzLTAyVDA5OjAwOjAwLjAwMFoiLCJhYmMiXQ' }),
    })
    .openapi(name, { description });
}

export const EngagementListQuery = z.object({
  q: z.string().max(120).optional().openapi({ description: 'Search in client name and organisation (any case, accents ignored).' }),
  stage: Stage.optional(),
  archived: z.enum(['true', 'false']).optional().openapi({ description: 'true: the archived engagements only; false (default): the others.' }),
  ...PAGE_QUERY,
});

export const QuestionnaireListQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Search in the name (any case).' }),
  archived: z.enum(['true', 'false']).optional().openapi({ description: 'true: the archived questionnaires only; false (default): the others.' }),
  ...PAGE_QUERY,
});

const QuestionnaireLanguages = {
  language: z.enum(LANGUAGES).openapi({ description: 'The language its texts are written in.' }),
  languages: z.array(z.enum(LANGUAGES)).openapi({ description: 'The languages it fully covers (every text translated), its own first: the languages a round on it can be run in.', example: ['en', 'fr', 'de'] }),
};

export const QuestionnaireSummarySchema = z
  .object({ id: z.string(), name: z.string(), builtin: z.boolean(), competencies: z.number(), items: z.number(), scalePoints: z.number(), ...QuestionnaireLanguages })
  .openapi('QuestionnaireSummary');

export const QuestionnairePageSchema = pageSchema(QuestionnaireSummarySchema, 'QuestionnairePage', 'A page of questionnaires and the URL of the next page.');

/**
 * The questionnaire format of the import/export (threesixty.questionnaire/v1); ids are optional on
 * input. `language` (default en) and each text's `translations` ({"fr": {"text": "…"}}) are optional.
 */
export const QuestionnaireDocumentSchema = questionnaireInputSchema;

export const QuestionnaireSchema = z
  .object({ id: z.string(), builtin: z.boolean(), ...QuestionnaireLanguages, document: z.record(z.string(), z.unknown()).openapi({ description: 'A QuestionnaireDocument with every id assigned, its language and its translations.' }) })
  .openapi('Questionnaire');

const GroupKey = z.enum(['self', 'manager', 'peers', 'reports', 'others']);

const RaterLanguage = z.enum(LANGUAGES).openapi({ description: "The language of the rater's survey and emails; they can switch it on the survey page. Defaults to the round's language." });

const RaterSchema = z.object({
  // Checked by the service with the rest of the list, so one answer names every problem.
  email: z.string().max(254).openapi({ format: 'email', example: 'sam.lee@example.com' }),
  name: text(120, 'name').default(''),
  group: z.enum(['manager', 'peers', 'reports', 'others']).openapi({ description: 'The client is in the self group automatically.' }),
  language: RaterLanguage.optional(),
});

const RoundLanguage = z.enum(LANGUAGES).openapi({
  description: "The raters' default language, and the one comments stay anonymous in (a rater whose language fewer than k raters share is warned on the survey). The client's self-assessment is in the engagement's language. A round is launched only in languages its questionnaire fully covers (409 otherwise).",
});

export const NewRoundSchema = z
  .object({
    engagementId: z.string().min(1).max(64),
    questionnaireId: z.string().min(1).max(64).openapi({ example: 'leadership-360' }),
    purpose: z.enum(['baseline', 'evaluation']).default('baseline'),
    deadline: calendarDay('deadline').openapi({ description: 'The round closes at the end of this day (UTC).', example: '2026-04-15' }),
    message: text(2000, 'message').default(''),
    groups: z
      .partialRecord(GroupKey, z.object({ label: requiredText(40, 'label').optional(), minimum: z.number().int().min(1).max(50).optional(), anonymous: z.boolean().optional() }))
      .optional()
      .openapi({ description: 'Per group key: label, minimum, anonymous. Defaults: manager 1 and not anonymous, the others 3 and anonymous.' }),
    k: z.number().int().min(2).max(10).default(3),
    tau: z.number().positive().max(6).nullable().default(null),
    language: RoundLanguage.optional().openapi({ description: "The raters' default language; defaults to the engagement's." }),
    raters: z.array(RaterSchema).max(500).default([]),
  })
  .openapi('NewRound');

export const RoundPatchSchema = z
  .object({ language: RoundLanguage.openapi({ description: "The raters' default language: a draft round only. Raters added later take it; those already in the round keep theirs." }) })
  .openapi('RoundPatch');

export const RatersSchema = z.object({ raters: z.array(RaterSchema).min(1).max(500) }).openapi('NewRaters');

export const RoundSchema = z
  .object({
    id: z.string(),
    engagementId: z.string(),
    purpose: z.enum(['baseline', 'pulse', 'evaluation']),
    status: z.enum(['draft', 'open', 'closed']),
    deadline: z.string().openapi({ description: 'ISO instant: the end of the deadline day, UTC.' }),
    k: z.number(),
    tau: z.number().nullable(),
    baselineRoundId: z.string().nullable(),
    language: RoundLanguage,
    actions: z.array(z.enum(ROUND_ACTIONS)).openapi({ description: 'What the round\'s state allows now, as the round page offers it (e.g. `launch` for a draft, `rerun` for a closed baseline).' }),
    groups: z.array(
      z.object({ key: z.string(), label: z.string(), minimum: z.number(), anonymous: z.boolean(), invited: z.number(), opened: z.number(), completed: z.number(), declined: z.number() }),
    ),
    deliveryProblems: z
      .object({ deferred: z.number(), failed: z.number() })
      .openapi({ description: 'Emails of the round not delivered yet after a try (deferred), and those that never will be (failed): `GET /v1/rounds/{id}/emails?state=…` lists them.' }),
  })
  .openapi('Round');

const DeliveryState = z
  .enum(['queued', 'sending', 'deferred', 'delivered', 'failed'])
  .openapi({ description: 'queued: not tried yet; sending: being handed to the mail server now; deferred: a try failed for now and there will be another at `nextAttemptAt`; delivered: accepted by the mail server (or written as an .eml file when the server sends no email); failed: refused for good, `lastAnswer` says why.' });

const deliveryFields = {
  state: DeliveryState,
  attempts: z.number().openapi({ description: 'Tries so far.' }),
  nextAttemptAt: z.string().nullable().openapi({ description: 'ISO instant of the next try (queued and deferred only).' }),
  lastAnswer: z.string().nullable().openapi({ description: 'The mail server\'s last answer (or the connection error) when deferred or failed.' }),
};

export const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    group: z.string().openapi({ description: 'The rater group\'s key.' }),
    client: z.boolean().openapi({ description: 'The client, in the self group.' }),
    language: RaterLanguage,
    status: z.enum(['pending', 'invited', 'opened', 'completed', 'declined']),
    statusOn: z.string().nullable().openapi({ description: 'The day of the last change of status: never a time, which could be matched with the order of responses.' }),
    declineReason: z.string().nullable(),
    delivery: z
      .object({ email: z.enum(['invitation', 'reminder']).openapi({ description: 'Which email this is: the latest sent to the rater.' }), ...deliveryFields })
      .nullable()
      .openapi({ description: 'The delivery of the latest email to this rater (their invitation or a reminder); null before the round is launched.' }),
  })
  .openapi('Invitation');

export const InvitationPageSchema = pageSchema(InvitationSchema, 'InvitationPage', 'A page of a round\'s raters in the order they were added, and the URL of the next page.');
export const InvitationListQuery = z.object({ ...PAGE_QUERY });

export const EmailSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ description: 'survey-invitation, survey-reminder, nomination-request or report-release.', example: 'survey-invitation' }),
    recipient: z.string(),
    subject: z.string(),
    invitationId: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    ...deliveryFields,
  })
  .openapi('Email', { description: 'An email of the round and its delivery. Thank-you messages to raters are not listed: they are deleted once sent.' });

export const EmailPageSchema = pageSchema(EmailSchema, 'EmailPage', 'A page of a round\'s emails, oldest first, and the URL of the next page.');
export const EmailListQuery = z.object({ state: DeliveryState.optional().openapi({ description: 'Only the emails in this state.' }), ...PAGE_QUERY });

export const ReportSchema = z.record(z.string(), z.unknown()).openapi('Report', { description: 'The report model: the same model the report page renders, under the same anonymity rule.' });
export const ChangeReportSchema = z.record(z.string(), z.unknown()).openapi('ChangeReport', { description: 'Evaluation against baseline: Welch intervals, effect sizes and verdicts.' });

// Practice norms and team reports

const QuestionnaireVersion = z.string().regex(/^[0-9a-f]{64}$/, 'must be a questionnaire version (64 hex digits), as GET /v1/questionnaire-versions lists them').openapi({ description: 'A questionnaire version: the SHA-256 of a round\'s frozen scale, competencies and items (ids, names, texts). Rounds with the same version compare item by item.', example: '3f1c9a0b5d2e47c18a6f0e9b2d4c6a8e1f3b5d7c9e0a2c4e6a8b0d2f4a6c8e0b' });

export const QuestionnaireVersionSchema = z
  .object({
    version: QuestionnaireVersion,
    questionnaireName: z.string(),
    competencies: z.number(),
    items: z.number(),
    leaders: z.number().openapi({ description: 'Clients with a closed baseline on this version (each counted once).' }),
  })
  .openapi('QuestionnaireVersion');

export const QuestionnaireVersionPageSchema = pageSchema(QuestionnaireVersionSchema, 'QuestionnaireVersionPage', 'A page of the questionnaire versions the coach\'s closed baselines used, and the URL of the next page.');
export const QuestionnaireVersionListQuery = z.object({ ...PAGE_QUERY });

const normSummaryFields = {
  id: z.string(),
  name: z.string().openapi({ example: 'Practice norm, Dec 2026, 24 leaders' }),
  questionnaireVersion: QuestionnaireVersion,
  questionnaireName: z.string(),
  sequence: z.number().openapi({ description: 'The norm\'s number among the coach\'s norms on this questionnaire version: 1, 2, …' }),
  leaders: z.number(),
  minimumLeaders: z.number().openapi({ description: 'The fewest leaders behind each of its figures.' }),
  k: z.number().openapi({ description: 'Visible norms of one version differ by at least k leaders.' }),
  createdAt: z.string(),
  archived: z.boolean(),
};

export const NormSummarySchema = z.object(normSummaryFields).openapi('NormSummary');

const NormFigureSchema = z.object({
  leaders: z.number().nullable().openapi({ description: 'Leaders with a figure here; null when too few had one for the norm to take it.' }),
  average: z.number().nullable().openapi({ description: 'The average of their All others figures. A norm never shows one leader\'s figure (nor a lowest, highest or median).' }),
});

export const NormSchema = z
  .object({
    ...normSummaryFields,
    competencies: z.array(z.object({ id: z.string(), name: z.string(), ...NormFigureSchema.shape, items: z.array(z.object({ id: z.string(), text: z.string(), ...NormFigureSchema.shape })) })),
  })
  .openapi('Norm', { description: 'A frozen practice norm: per competency and item, how many leaders it holds and their average.' });

export const NormPageSchema = pageSchema(NormSummarySchema, 'NormPage', 'A page of the coach\'s norms, newest first, and the URL of the next page.');
export const NormListQuery = z.object({
  archived: z.enum(['true', 'false']).optional().openapi({ description: 'true: the archived norms only; false (default): the visible ones.' }),
  version: QuestionnaireVersion.optional().openapi({ description: 'Only the norms of this questionnaire version.' }),
  ...PAGE_QUERY,
});
export const NewNormSchema = z.object({ questionnaireVersion: QuestionnaireVersion }).openapi('NewNorm');

export const ReportQuery = z.object({
  norm: z.string().min(1).max(64).optional().openapi({ description: 'A visible norm of the coach on the round\'s questionnaire version: adds each figure\'s percentile in it (`norm` in the report; norm_* columns in CSV).' }),
});

export const TeamSummarySchema = z
  .object({ id: z.string(), name: z.string(), questionnaireVersion: QuestionnaireVersion, questionnaireName: z.string(), members: z.number(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('TeamSummary');

export const TeamSchema = z
  .object({
    ...TeamSummarySchema.shape,
    leaders: z.array(z.object({ engagementId: z.string(), clientName: z.string(), organisation: z.string() })).openapi({ description: 'Every engagement in the team (at most 50), by client name.' }),
  })
  .openapi('Team');

export const TeamPageSchema = pageSchema(TeamSummarySchema, 'TeamPage', 'A page of the coach\'s teams, most recently changed first, and the URL of the next page.');
export const TeamListQuery = z.object({ ...PAGE_QUERY });

const EngagementIds = z.array(z.string().min(1).max(64)).max(50);

export const NewTeamSchema = z
  .object({
    name: requiredText(120, 'name'),
    questionnaireVersion: QuestionnaireVersion,
    organisation: text(200, 'organisation').optional().openapi({ description: 'Adds every engagement of this organisation (any case) with a closed baseline on the version.' }),
    engagementIds: EngagementIds.optional().openapi({ description: 'Engagements with a closed baseline on the version.' }),
  })
  .openapi('NewTeam');

export const TeamPatchSchema = z
  .object({ name: requiredText(120, 'name').optional(), add: EngagementIds.optional(), remove: EngagementIds.optional() })
  .openapi('TeamPatch');

export const TeamReportSchema = z
  .record(z.string(), z.unknown())
  .openapi('TeamReport', { description: 'The team, its leaders (whether each one\'s report was released to them), the members not included, and the team report: each leader weighing the same, a leader\'s own figures only where released, team figures withheld where fewer than k unreleased leaders stand behind them.' });
