import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { coachText, coachTranslator } from '../auth/coach-text';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { requiredText, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { pageLinks } from '../http/page-links';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { decodeCursor } from '../lists';
import { questionnaireVersionsPage } from '../norms/leaders.service';
import { versionView } from '../norms/norm-view';
import { VERSION_FIELD } from '../norms/norms.routes';
import { attachment } from '../reports/reports.routes';
import { teamCsv, teamJson } from './team-export';
import { refusalText, teamView } from './team-view';
import * as teams from './teams.service';

const PAGE_SIZE = 25;

const nameField = requiredText(120, 'Team name');
const newTeamSchema = z.object({ name: nameField, version: VERSION_FIELD, organisation: text(200, 'Organisation') });
const memberSchema = z.object({ engagementId: z.string().min(1).max(64) });
const renameSchema = z.object({ name: nameField });

async function renderNewTeam(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}, status: 409 | 422 = 422) {
  const { db, config } = c.get('deps');
  const cursor = c.req.query('cursor');
  const page = await questionnaireVersionsPage(db, signedInCoach(c).id, { after: decodeCursor(cursor, z.tuple([z.string().max(64)]))?.[0] ?? null, limit: PAGE_SIZE });
  const versions = page.items.map((version) => ({ ...versionView(version, config.normMinimumLeaders), checked: version.version === values.version || (page.items.length === 1 && !cursor) }));
  return render(
    c,
    'teams/new',
    { title: coachText(c, 'teams.new.title'), versions, ...pageLinks('/teams/new', {}, { cursor, next: page.next }), values, errors, maxMembers: teams.MAX_TEAM_MEMBERS },
    Object.keys(errors).length ? status : 200,
  );
}

async function renderMembers(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}, status: 409 | 422 = 422) {
  const { db } = c.get('deps');
  const coachId = signedInCoach(c).id;
  const team = await teams.getTeam(db, coachId, c.req.param('id') ?? '');
  const cursor = c.req.query('cursor');
  const members = await teams.membersPage(db, coachId, team.id, { after: decodeCursor(cursor, teams.MEMBER_POSITION), limit: PAGE_SIZE });
  return render(
    c,
    'teams/members',
    {
      title: coachText(c, 'teams.members.title', { team: team.name }),
      team,
      members: members.items,
      ...pageLinks(`/teams/${team.id}/members`, {}, { cursor, next: members.next }),
      full: team.members >= teams.MAX_TEAM_MEMBERS,
      maxMembers: teams.MAX_TEAM_MEMBERS,
      values: { name: team.name, ...values },
      errors,
    },
    Object.keys(errors).length ? status : 200,
  );
}

/** The coach's engagements that may join the team (a closed baseline on its questionnaire), searched, a page at a time. */
async function renderCandidates(c: Context<AppEnv>, errors: FieldErrors = {}, status: 409 | 422 = 422) {
  const { db } = c.get('deps');
  const coachId = signedInCoach(c).id;
  const team = await teams.getTeam(db, coachId, c.req.param('id') ?? '');
  const search = (c.req.query('q') ?? '').slice(0, 120);
  const cursor = c.req.query('cursor');
  const candidates = await teams.candidatesPage(db, coachId, team.id, search, { after: decodeCursor(cursor, teams.MEMBER_POSITION), limit: PAGE_SIZE });
  return render(
    c,
    'teams/candidates',
    {
      title: coachText(c, 'teams.candidates.title', { team: team.name }),
      team,
      candidates: candidates.items,
      ...pageLinks(`/teams/${team.id}/candidates`, search ? { q: search } : {}, { cursor, next: candidates.next }),
      search,
      full: team.members >= teams.MAX_TEAM_MEMBERS,
      maxMembers: teams.MAX_TEAM_MEMBERS,
      errors,
    },
    Object.keys(errors).length ? status : 200,
  );
}

/**
 * Runs a team creation or membership change. One the anonymity check refuses (409: the next team report would single
 * leaders out beside those shown before) is shown on the page it came from, with why and what would
 * allow it, like a form error.
 */
async function changeOrExplain(c: Context<AppEnv>, work: () => Promise<Response>, explain: (errors: FieldErrors, status: 409 | 422) => Promise<Response>): Promise<Response> {
  try {
    return await orRerender(work, (errors) => explain(errors, 422));
  } catch (error) {
    if (error instanceof teams.TeamRefusedError) return explain({ _form: refusalText(coachTranslator(c), error.refusal) }, 409);
    throw error;
  }
}

/** The coach's teams: list, create, the team report (page, CSV, JSON) and its members. */
export function teamRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const coachId = (c: Context<AppEnv>) => signedInCoach(c).id;

  routes.get('/', async (c) => {
    const cursor = c.req.query('cursor');
    const page = await teams.listTeams(c.get('deps').db, coachId(c), { after: decodeCursor(cursor, teams.TEAM_POSITION), limit: PAGE_SIZE });
    return render(c, 'teams/list', { title: coachText(c, 'teams.list.title'), teams: page.items, ...pageLinks('/teams', {}, { cursor, next: page.next }) });
  });

  routes.get('/new', (c) => renderNewTeam(c));

  routes.post('/', validForm(newTeamSchema, renderNewTeam), async (c) => {
    const form = c.req.valid('form');
    return changeOrExplain(
      c,
      async () => {
        const { db, clock } = c.get('deps');
        const team = await teams.createTeam(db, clock, coachId(c), { name: form.name, questionnaireVersion: form.version, organisation: form.organisation || undefined }, signedInCoach(c).language);
        return redirectWithFlash(c, team.members ? `/teams/${team.id}` : `/teams/${team.id}/members`, team.members ? coachText(c, 'flash.team.created', { count: team.members }) : coachText(c, 'flash.team.createdEmpty'));
      },
      (errors, status) => renderNewTeam(c, form, errors, status),
    );
  });

  routes.get('/:id', async (c) => {
    const result = await teams.teamReport(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.param('id'), signedInCoach(c).language);
    const view = teamView(result, coachTranslator(c));
    return render(c, 'teams/show', { title: coachText(c, 'teams.report.title', { team: result.team.name }), ...view, scripts: view.ready ? ['vendor/chart.umd.min.js', 'report-charts.js'] : ['report-charts.js'] });
  });

  routes.get('/:id/report.csv', async (c) => {
    const result = await teams.teamReport(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.param('id'));
    teams.publishedTeamReport(result);
    c.header('Content-Disposition', attachment(result.team.name, 'team', 'csv'));
    return c.body(teamCsv(result), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  routes.get('/:id/report.json', async (c) => {
    const result = await teams.teamReport(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.param('id'));
    teams.publishedTeamReport(result);
    c.header('Content-Disposition', attachment(result.team.name, 'team', 'json'));
    return c.json(teamJson(result));
  });

  routes.get('/:id/members', (c) => renderMembers(c));
  routes.get('/:id/candidates', (c) => renderCandidates(c));

  routes.post('/:id/members/add', validForm(memberSchema, (c, _values, errors) => renderCandidates(c, errors)), async (c) => {
    const { db, clock } = c.get('deps');
    return changeOrExplain(
      c,
      async () => {
        const team = await teams.addMembers(db, clock, coachId(c), c.req.param('id'), [c.req.valid('form').engagementId], signedInCoach(c).language);
        return redirectWithFlash(c, `/teams/${team.id}/candidates`, coachText(c, 'flash.team.added', { count: team.members }));
      },
      (errors, status) => renderCandidates(c, errors, status),
    );
  });

  routes.post('/:id/members/remove', validForm(memberSchema, renderMembers), async (c) => {
    const { db, clock } = c.get('deps');
    return changeOrExplain(
      c,
      async () => {
        const team = await teams.removeMembers(db, clock, coachId(c), c.req.param('id'), [c.req.valid('form').engagementId], signedInCoach(c).language);
        return redirectWithFlash(c, `/teams/${team.id}/members`, coachText(c, 'flash.team.removed'), 'info');
      },
      (errors, status) => renderMembers(c, {}, errors, status),
    );
  });

  routes.post('/:id/edit', validForm(renameSchema, renderMembers), async (c) => {
    const { db, clock } = c.get('deps');
    const team = await teams.renameTeam(db, clock, coachId(c), c.req.param('id'), c.req.valid('form').name);
    return redirectWithFlash(c, `/teams/${team.id}/members`, coachText(c, 'flash.team.renamed'));
  });

  routes.post('/:id/delete', async (c) => {
    const team = await teams.deleteTeam(c.get('deps').db, coachId(c), c.req.param('id'));
    return redirectWithFlash(c, '/teams', coachText(c, 'flash.team.deleted', { name: team.name }), 'info');
  });

  return routes;
}
