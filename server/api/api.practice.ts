import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../config';
import type { AppEnv } from '../http/context';
import { signedInCoach } from '../http/session';
import { decodeCursor } from '../lists';
import { questionnaireVersionsPage } from '../norms/leaders.service';
import * as norms from '../norms/norms.service';
import { teamCsv, teamJson } from '../teams/team-export';
import * as teams from '../teams/teams.service';
import { z } from '@hono/zod-openapi';
import { normDto, normSummaryDto, questionnaireVersionDto, teamDto, teamSummaryDto } from './api.mappers';
import { COMMON, CONFLICT, INVALID, json, nextPageUrl, NOT_FOUND, problem, secured, writing } from './api.responses';
import {
  IdParam,
  NewNormSchema,
  NewTeamSchema,
  NormListQuery,
  NormPageSchema,
  NormSchema,
  QuestionnaireVersionListQuery,
  QuestionnaireVersionPageSchema,
  TeamListQuery,
  TeamPageSchema,
  TeamPatchSchema,
  TeamReportSchema,
  TeamSchema,
} from './api.schemas';

const REFUSED = {
  409: problem('The norm cannot be shown now. `details.reason`: `too-few-leaders` (with `moreLeadersNeeded`), `no-subjects`, `same-leaders` (the visible norm with exactly these leaders), `would-single-out` (beside the visible norms in `archiveFirst`, fewer than `k` leaders would stand between them; `moreLeadersNeeded` when more leaders would do), or `beside-team-reports` (a team report shown before and this norm would single out fewer than `k` leaders).'),
} as const;

/** The check every team membership passes (server/teams/teams.service.ts). */
const TEAM_GATE =
  '409 (`details.reason` `would-single-out`, with `subject`, `leadersSingledOut` and `k`) when the team report of the new membership, beside every team report of this questionnaire shown before and the visible norms, would let fewer than `k` leaders whose reports were not released be worked out; the message names them and says what would allow it.';

/**
 * The API of practice insight: the questionnaire versions of the coach's closed baselines, practice
 * norms (created behind the same gate as on the pages) and teams with their reports.
 */
export function practiceApi(api: OpenAPIHono<AppEnv>, config: Config): void {
  const coachId = (c: Parameters<typeof signedInCoach>[0]) => signedInCoach(c).id;

  api.openapi(
    createRoute({ method: 'get', path: '/v1/questionnaire-versions', tags: ['Norms'], summary: 'List the questionnaire versions of your closed baselines, with their leaders, a page at a time', ...secured, request: { query: QuestionnaireVersionListQuery }, responses: { 200: json(QuestionnaireVersionPageSchema, 'A page of questionnaire versions.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await questionnaireVersionsPage(c.get('deps').db, coachId(c), { after: decodeCursor(query.cursor, z.tuple([z.string().max(64)]))?.[0] ?? null, limit: query.limit });
      return c.json({ items: page.items.map(questionnaireVersionDto), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  // Norms

  api.openapi(
    createRoute({ method: 'get', path: '/v1/norms', tags: ['Norms'], summary: 'List practice norms, newest first, a page at a time', ...secured, request: { query: NormListQuery }, responses: { 200: json(NormPageSchema, 'A page of norms.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const filter = { archived: query.archived === 'true', version: query.version ?? null };
      const page = await norms.listNorms(c.get('deps').db, coachId(c), filter, { after: decodeCursor(query.cursor, norms.NORM_POSITION), limit: query.limit });
      return c.json({ items: page.items.map(normSummaryDto), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/norms',
      tags: ['Norms'],
      summary: 'Create the next practice norm of a questionnaire version',
      description: 'From each client\'s latest closed baseline on the version, as published. Refused (409) when fewer than the minimum of leaders have one, or when beside the visible norms of the version it would let fewer than k leaders be singled out.',
      ...secured,
      request: { body: { content: { 'application/json': { schema: NewNormSchema } }, required: true } },
      responses: { 201: json(NormSchema, 'The new norm.'), ...COMMON, ...NOT_FOUND, ...INVALID, ...REFUSED },
    }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const norm = await norms.createNorm(db, clock, coachId(c), c.req.valid('json').questionnaireVersion, { minimumLeaders: config.normMinimumLeaders });
      return c.json(normDto(norm), 201);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/norms/{id}', tags: ['Norms'], summary: 'Get a norm: per competency and item, its leaders and their average', ...secured, request: { params: IdParam }, responses: { 200: json(NormSchema, 'The norm.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => c.json(normDto(await norms.getNorm(c.get('deps').db, coachId(c), c.req.valid('param').id)), 200),
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/norms/{id}/archive', tags: ['Norms'], summary: 'Archive a norm: no longer offered, no longer in the way of a new one', ...secured, request: { params: IdParam }, responses: { 200: json(NormSchema, 'The archived norm.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => {
      const { db, clock } = c.get('deps');
      return c.json(normDto(await norms.archiveNorm(db, clock, coachId(c), c.req.valid('param').id)), 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/norms/{id}/restore', tags: ['Norms'], summary: 'Show an archived norm again, if the visible norms allow it', ...secured, request: { params: IdParam }, responses: { 200: json(NormSchema, 'The norm, visible.'), ...COMMON, ...NOT_FOUND, ...REFUSED } }),
    async (c) => c.json(normDto(await norms.restoreNorm(c.get('deps').db, coachId(c), c.req.valid('param').id)), 200),
  );

  // Teams

  const teamJsonOf = async (db: Parameters<typeof teams.getTeam>[0], coach: string, id: string) => {
    const team = await teams.getTeam(db, coach, id);
    return teamDto(team, (await teams.membersPage(db, coach, team.id, { after: null, limit: teams.MAX_TEAM_MEMBERS })).items);
  };

  api.openapi(
    createRoute({ method: 'get', path: '/v1/teams', tags: ['Teams'], summary: 'List teams, a page at a time', ...secured, request: { query: TeamListQuery }, responses: { 200: json(TeamPageSchema, 'A page of teams.'), ...COMMON, ...INVALID } }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await teams.listTeams(c.get('deps').db, coachId(c), { after: decodeCursor(query.cursor, teams.TEAM_POSITION), limit: query.limit });
      return c.json({ items: page.items.map(teamSummaryDto), next: nextPageUrl(c, config, page.next) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/v1/teams', tags: ['Teams'], summary: 'Create a team on a questionnaire version', description: `With the engagements given and, when \`organisation\` is given, every engagement of it with a closed baseline on the version. At most 50. ${TEAM_GATE}`, ...secured, request: { body: { content: { 'application/json': { schema: NewTeamSchema } }, required: true } }, responses: { 201: json(TeamSchema, 'The new team.'), ...COMMON, ...NOT_FOUND, ...INVALID, ...CONFLICT } }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const body = c.req.valid('json');
      const team = await writing(c, (trx) => teams.createTeam(trx, clock, coachId(c), body));
      return c.json(await teamJsonOf(db, coachId(c), team.id), 201);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/teams/{id}', tags: ['Teams'], summary: 'Get a team and its engagements', ...secured, request: { params: IdParam }, responses: { 200: json(TeamSchema, 'The team.'), ...COMMON, ...NOT_FOUND } }),
    async (c) => c.json(await teamJsonOf(c.get('deps').db, coachId(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    createRoute({ method: 'patch', path: '/v1/teams/{id}', tags: ['Teams'], summary: 'Rename a team, add or remove engagements', description: `Additions and removals are checked together. ${TEAM_GATE}`, ...secured, request: { params: IdParam, body: { content: { 'application/json': { schema: TeamPatchSchema } }, required: true } }, responses: { 200: json(TeamSchema, 'The changed team.'), ...COMMON, ...NOT_FOUND, ...INVALID, ...CONFLICT } }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await writing(c, async (trx) => {
        if (body.name !== undefined) await teams.renameTeam(trx, clock, coachId(c), id, body.name);
        if (body.remove?.length || body.add?.length) await teams.changeMembers(trx, clock, coachId(c), id, { adding: body.add ?? [], removing: body.remove ?? [] });
        await teams.getTeam(trx, coachId(c), id);
      });
      return c.json(await teamJsonOf(db, coachId(c), id), 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/teams/{id}/report', tags: ['Teams'], summary: 'The team report', description: `From each member's latest closed baseline on the team's questionnaire version, as published. 409 while no member has one, or while it would single leaders out beside the team reports shown before (the message says why).`, ...secured, request: { params: IdParam }, responses: { 200: json(TeamReportSchema, 'The team report.'), ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const result = await teams.teamReport(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.valid('param').id);
      teams.publishedTeamReport(result);
      return c.json(teamJson(result) as Record<string, unknown>, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/v1/teams/{id}/report.csv', tags: ['Teams'], summary: 'The team report as CSV', ...secured, request: { params: IdParam }, responses: { 200: { content: { 'text/csv': { schema: { type: 'string' } } }, description: 'One row per competency and item; one column per leader whose report was released to them.' }, ...COMMON, ...NOT_FOUND, ...CONFLICT } }),
    async (c) => {
      const result = await teams.teamReport(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.valid('param').id);
      teams.publishedTeamReport(result);
      return c.body(teamCsv(result), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    },
  );
}
