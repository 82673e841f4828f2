import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../db/schema';
import type { Config } from '../config';
import { dayOf } from '../clock';
import { InvalidError } from '../errors';
import * as engagements from '../engagements/engagements.service';
import { apiRateLimit } from '../http/api-rate-limit';
import { bearerAuth } from '../http/bearer-auth';
import type { AppEnv } from '../http/context';
import { fieldErrors } from '../http/forms';
import { mailContext } from '../http/mail-context';
import { decodeCursor } from '../lists';
import { signedInCoach } from '../http/session';
import * as questionnaires from '../questionnaires/questionnaires.service';
import { changeReportForRound, publishedChange } from '../reports/change.service';
import { reportCsv } from '../reports/report-csv';
import { publishedModel, roundReport } from '../reports/reports.service';
import { addRaterRows, createRoundWithRaterRows, raterErrorFields, remindNow } from '../rounds/invitations.service';
import { roundOverview } from '../rounds/round-progress';
import { EMAIL_POSITION, INVITATION_POSITION, roundEmailsPage, roundInvitationsPage } from '../rounds/round-deliveries';
import { roundDeliveryProblems } from '../mail/outbox.service';
import * as rounds from '../rounds/rounds.service';
import { normJson } from '../norms/norm-view';
import { reportNorms } from '../norms/norms.service';
import { practiceApi } from './api.practice';
import { COMMON, CONFLICT, INVALID, json, nextPageUrl, NOT_FOUND, secured, writing } from './api.responses';
import { apiFieldNames, emailDto, engagementDto, invitationDto, questionnaireDto, questionnaireSummaryDto, raterRows, roundDto, roundSettingsFrom } from './api.mappers';
import {
  ChangeReportSchema,
  EmailListQuery,
  EmailPageSchema,
  EngagementListQuery,
  EngagementPageSchema,
  EngagementPatchSchema,
  EngagementSchema,
  IdParam,
  InvitationListQuery,
  InvitationPageSchema,
  NewEngagementSchema,
  NewRoundSchema,
  QuestionnaireDocumentSchema,
  QuestionnaireListQuery,
  QuestionnairePageSchema,
  QuestionnaireSchema,
  RatersSchema,
  ReportQuery,
  ReportSchema,
  RoundPatchSchema,
  RoundSchema,
} from './api.schemas';

async function engagementJson(db: Db, coachId: string, id: string) {
  return engagementDto(await engagements.getEngagement(db, coachId, id), await engagements.stageTimeline(db, coachId, id));
}

async function roundJson(db: Db, coachId: string, id: string) {
  const overview = await roundOverview(db, coachId, id);
  return roundDto(overview, await roundDeliveryProblems(db, overview.round.id));
}

/**
 * The JSON API (/api/v1): engagements, questionnaires, rounds and reports, as a coach sees them
 * in the browser. Errors are `{"error":{"code","message","details"}}` (mapped in app.onError).
 */
export function apiRoutes(config: Config): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new InvalidError('Some fields are invalid.', fieldErrors(result.error));
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer', description: 'A personal API token, created on the account page.' });
  api.use('/v1/*', bearerAuth(apiRateLimit(config.apiRateLimit)));

  // Engagements

  api.openapi(
    createRoute({ method: 'get', path: '/v1/engagements', tags: ['Engagements'], summary: 'List engagements, a page at a time', ...secured, request: { query: EngagementListQuery }, responses: { 200: json(EngagementPageSchema, 'A page of engagements, most recently changed first.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const { db } = c.get('deps');
      const filter = { search: query.q ?? '', stage: query.stage ?? null, archived: query.archived === 'true' };
      const page = await engagements.listEngagements(db, signedInCoach(c).id, filter, { after: decodeCursor(query.cursor, engagements.ENGAGEMENT_POSITION), limit: query.limit });
      const timelines = await engagements.timelinesOf(db, page.items);
      return c.json({ items: page.items.map((engagement) => engagementDto(engagement, timelines.get(engagement.id) ?? [])), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/engagements', tags: ['Engagements'], summary: 'Create an engagement', ...secured, request: { body: { content: { 'application/json': { schema: NewEngagementSchema } }, required: true } }, responses: { 201: json(EngagementSchema, 'Created.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const body = c.req.valid('json');
      const { db, clock } = c.get('deps');
      const coachId = signedInCoach(c).id;
      const created = await writing(c, (trx) => engagements.createEngagement(trx, clock, coachId, { ...body, startDate: body.startDate ?? dayOf(clock.now()) }));
      return c.json(await engagementJson(db, coachId, created.id), 201);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/engagements/{id}', tags: ['Engagements'], summary: 'Get an engagement', ...secured, request: { params: IdParam }, responses: { 200: json(EngagementSchema, 'The engagement.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => c.json(await engagementJson(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({ method: 'patch', path: '/v1/engagements/{id}', tags: ['Engagements'], summary: 'Change an engagement (fields given) or move it to a stage', ...secured, request: { params: IdParam, body: { content: { 'application/json': { schema: EngagementPatchSchema } }, required: true } }, responses: { 200: json(EngagementSchema, 'The changed engagement.'), ...COMMON, ...NOT_FOUND, ...INVALID } }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const coachId = signedInCoach(c).id;
      const { id } = c.req.valid('param');
      const { stage, ...fields } = c.req.valid('json');
      await writing(c, async (trx) => {
        const current = await engagements.getEngagement(trx, coachId, id);
        await engagements.updateEngagement(trx, clock, coachId, id, { ...current, ...fields });
        if (stage) await engagements.moveToStage(trx, clock, coachId, id, stage);
      });
      return c.json(await engagementJson(db, coachId, id), 200);
    },
  );

  // Questionnaires

  api.openapi(
    createRoute({ method: 'get', path: '/v1/questionnaires', tags: ['Questionnaires'], summary: 'List questionnaires (the built-in ones included), a page at a time', ...secured, request: { query: QuestionnaireListQuery }, responses: { 200: json(QuestionnairePageSchema, 'A page of questionnaires, the built-in ones first, then by name.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const filter = { archived: query.archived === 'true', search: query.q ?? '' };
      const page = await questionnaires.listQuestionnaires(c.get('deps').db, signedInCoach(c).id, filter, { after: decodeCursor(query.cursor, questionnaires.QUESTIONNAIRE_POSITION), limit: query.limit });
      return c.json({ items: page.items.map(questionnaireSummaryDto), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/questionnaires', tags: ['Questionnaires'], summary: 'Create a questionnaire from a document (the import/export format)', ...secured, request: { body: { content: { 'application/json': { schema: QuestionnaireDocumentSchema } }, required: true } }, responses: { 201: json(QuestionnaireSchema, 'Created.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const { clock } = c.get('deps');
      const coachId = signedInCoach(c).id;
      const created = await writing(c, (trx) => questionnaires.createQuestionnaireFromDocument(trx, clock, coachId, c.req.valid('json')));
      return c.json(questionnaireDto(created), 201);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/questionnaires/{id}', tags: ['Questionnaires'], summary: 'Get a questionnaire as a document', ...secured, request: { params: IdParam }, responses: { 200: json(QuestionnaireSchema, 'The questionnaire.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => {
      const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id);
      return c.json(questionnaireDto(questionnaire), 200);
    },
  );

  // Rounds

  api.openapi(
    createRoute({ method: 'post', path: '/v1/rounds', tags: ['Rounds'], summary: 'Create a draft round with its raters', description: 'The client joins the self group automatically. A bad rater list creates nothing; `details` names each bad entry (`raters.2`).', ...secured, request: { body: { content: { 'application/json': { schema: NewRoundSchema } }, required: true } }, responses: { 201: json(RoundSchema, 'The draft round.'), ...COMMON, ...NOT_FOUND, ...INVALID } }),
    async (c) => {
      const body = c.req.valid('json');
      const deps = c.get('deps');
      const coachId = signedInCoach(c).id;
      const round = await writing(c, (trx) => createRoundWithRaterRows(trx, mailContext(deps), coachId, body.engagementId, roundSettingsFrom(body), raterRows(body.raters))).catch((error: unknown) => {
        throw error instanceof InvalidError ? new InvalidError(error.message, apiFieldNames(error.fields)) : error;
      });
      return c.json(await roundJson(deps.db, coachId, round.id), 201);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}', tags: ['Rounds'], summary: 'Get a round: status, deadline, per-group counts', ...secured, request: { params: IdParam }, responses: { 200: json(RoundSchema, 'The round.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => c.json(await roundJson(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({ method: 'patch', path: '/v1/rounds/{id}', tags: ['Rounds'], summary: "Change a draft round's language", ...secured, request: { params: IdParam, body: { content: { 'application/json': { schema: RoundPatchSchema } }, required: true } }, responses: { 200: json(RoundSchema, 'The round.'), ...COMMON, ...NOT_FOUND, ...INVALID, ...CONFLICT } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const coachId = signedInCoach(c).id;
      await writing(c, (trx) => rounds.changeRoundLanguage(trx, coachId, id, c.req.valid('json').language));
      return c.json(await roundJson(c.get('deps').db, coachId, id), 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}/invitations', tags: ['Rounds'], summary: 'List a round\'s raters with the delivery of their latest email, a page at a time', ...secured, request: { params: IdParam, query: InvitationListQuery }, responses: { 200: json(InvitationPageSchema, 'A page of raters.'), ...COMMON, ...NOT_FOUND, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await roundInvitationsPage(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id, { after: decodeCursor(query.cursor, INVITATION_POSITION), limit: query.limit });
      return c.json({ items: page.items.map(({ invitation, delivery }) => invitationDto(invitation, delivery)), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}/emails', tags: ['Rounds'], summary: 'List a round\'s emails and their delivery (optionally only deferred or failed ones), a page at a time', ...secured, request: { params: IdParam, query: EmailListQuery }, responses: { 200: json(EmailPageSchema, 'A page of emails.'), ...COMMON, ...NOT_FOUND, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await roundEmailsPage(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id, query.state ?? null, { after: decodeCursor(query.cursor, EMAIL_POSITION), limit: query.limit });
      return c.json({ items: page.items.map(emailDto), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/rounds/{id}/raters', tags: ['Rounds'], summary: 'Add raters (invited at once when the round is open)', ...secured, request: { params: IdParam, body: { content: { 'application/json': { schema: RatersSchema } }, required: true } }, responses: { 200: json(RoundSchema, 'The round with its new raters.'), ...COMMON, ...NOT_FOUND, ...INVALID, ...CONFLICT } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const deps = c.get('deps');
      const coachId = signedInCoach(c).id;
      const result = await writing(c, (trx) => addRaterRows(trx, mailContext(deps), coachId, id, raterRows(c.req.valid('json').raters)));
      if (result.errors.length) throw new InvalidError('Some raters need your attention.', raterErrorFields(result.errors));
      deps.outbox.wake();
      return c.json(await roundJson(deps.db, coachId, id), 200);
    },
  );

  const action = (path: string, summary: string, run: (trx: Db, c: Context<AppEnv>, id: string) => Promise<unknown>) =>
    api.openapi(
      createRoute({ method: 'post', path: `/v1/rounds/{id}/${path}`, tags: ['Rounds'], summary, ...secured, request: { params: IdParam }, responses: { 200: json(RoundSchema, 'The round after the action.'), ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
      async (c) => {
        const { id } = c.req.valid('param');
        await writing(c, (trx) => run(trx, c, id));
        c.get('deps').outbox.wake();
        return c.json(await roundJson(c.get('deps').db, signedInCoach(c).id, id), 200);
      },
    );
  action('launch', 'Launch: freeze the questionnaire and send every invitation', (trx, c, id) => rounds.launchRound(trx, mailContext(c.get('deps')), signedInCoach(c).id, id));
  action('remind', 'Send a reminder to everyone who has neither answered nor declined', (trx, c, id) => remindNow(trx, mailContext(c.get('deps')), signedInCoach(c).id, id));
  action('close', 'Close the round now', (trx, c, id) => rounds.closeRound(trx, c.get('deps').clock, signedInCoach(c).id, id));

  api.openapi(
    createRoute({ method: 'post', path: '/v1/rounds/{id}/rerun', tags: ['Rounds'], summary: 'Re-run a baseline for evaluation', description: 'A draft evaluation round linked to the baseline: same questionnaire snapshot, groups, minimums and raters; new links; a deadline two weeks ahead.', ...secured, request: { params: IdParam }, responses: { 201: json(RoundSchema, 'The evaluation round.'), ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const { db, clock, views } = c.get('deps');
      const coachId = signedInCoach(c).id;
      const evaluation = await writing(c, (trx) => rounds.rerunForEvaluation(trx, clock, coachId, c.req.valid('param').id, views.translator));
      return c.json(await roundJson(db, coachId, evaluation.id), 201);
    },
  );

  // Reports

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}/report', tags: ['Reports'], summary: 'The published report model', description: 'The latest published version of the report (`round.version`; late answers held back are counted in `round.lateAnswersHeld`). 409 while none is published: while the round is open for the first time, or when it closed with fewer than k people other than the client; `details` gives the response counts. With `norm`: `norm.placements` gives, per competency and item id, the All others figure\'s percentile in that practice norm (409 for an archived norm or one of another questionnaire version).', ...secured, request: { params: IdParam, query: ReportQuery }, responses: { 200: json(ReportSchema, 'The report model.'), ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const report = await roundReport(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id);
      const model = publishedModel(report);
      const { comparison } = await reportNorms(c.get('deps').db, signedInCoach(c).id, { engagementId: report.engagement.id, snapshot: report.round.snapshot, model }, c.req.valid('query').norm);
      return c.json({ round: { id: report.round.id, status: report.round.status, version: report.publication.latest, lateAnswersHeld: report.publication.proposal.held.total }, ...model, ...(comparison ? { norm: normJson(comparison) } : {}) } as Record<string, unknown>, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}/report.csv', tags: ['Reports'], summary: 'The report\'s shown aggregates as CSV', ...secured, request: { params: IdParam, query: ReportQuery }, responses: { 200: { content: { 'text/csv': { schema: { type: 'string' } } }, description: 'One row per competency or item and shown group; with `norm`, the All others rows\' norm_percentile and norm_top.' }, ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const report = await roundReport(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id);
      const model = publishedModel(report);
      const { comparison } = await reportNorms(c.get('deps').db, signedInCoach(c).id, { engagementId: report.engagement.id, snapshot: report.round.snapshot, model }, c.req.valid('query').norm);
      return c.body(reportCsv(model, comparison?.placements), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/rounds/{id}/change', tags: ['Reports'], summary: 'The change report of an evaluation round against its baseline', ...secured, request: { params: IdParam }, responses: { 200: json(ChangeReportSchema, 'The change report.'), ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const change = await changeReportForRound(c.get('deps').db, signedInCoach(c).id, c.req.valid('param').id);
      const report = publishedChange(change);
      return c.json({ baselineRoundId: change.baseline.id, evaluationRoundId: change.evaluation.id, versions: change.versions, ...report } as Record<string, unknown>, 200);
    },
  );

  practiceApi(api, config);

  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Threesixty API',
      version: '1.0.0',
      description: 'Start feedback rounds from your own client records and read the results. Every request acts as the coach whose personal token it sends, and sees exactly what that coach sees; reports follow the same anonymity rule as the pages.',
    },
    // Paths are relative to where the API is mounted.
    servers: [{ url: `${config.publicUrl}/api` }],
    tags: [{ name: 'Engagements' }, { name: 'Questionnaires' }, { name: 'Rounds' }, { name: 'Reports' }, { name: 'Norms' }, { name: 'Teams' }],
  });

  return api;
}
