import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { inviteCoach } from '../../server/coaches/coaches.service';
import { createEngagement } from '../../server/engagements/engagements.service';
import { mailContext } from '../../server/http/mail-context';
import { copyQuestionnaire } from '../../server/questionnaires/questionnaires.service';
import { releaseReport } from '../../server/reports/reports.service';
import { submitNominations } from '../../server/rounds/nominations.service';
import { closeRound, rerunForEvaluation } from '../../server/rounds/rounds.service';
import { addActionStep, addFocusArea } from '../../server/focus-areas/focus-areas.service';
import { createApiToken } from '../../server/api/api-tokens.service';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { newSecretToken } from '../../server/secrets';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { CONFIDENTIAL_ENGAGEMENT } from '../helpers/everything';
import { coachRoutes } from '../helpers/route-list';
import { insertNorm } from '../../server/norms/norms.repository';
import { findRound } from '../../server/rounds/rounds.repository';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { createTeam } from '../../server/teams/teams.service';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

// A body that passes every coach form's validation, so a refusal can only come from ownership.
const PLAUSIBLE_FORM = {
  clientName: 'Intruder',
  clientEmail: 'intruder@example.com',
  organisation: 'Elsewhere',
  role: 'Role',
  startDate: '2026-01-01',
  notes: 'changed',
  stage: 'goal-setting',
  enteredOn: '2026-01-02',
  name: 'Changed name',
  description: 'changed',
  points: '5',
  email: 'intruder@example.com',
  scalePoints: '5',
  scaleLabels: 'a\nb\nc\nd\ne',
  naLabel: 'N/A',
  action: 'save',
};

describe.each(DATABASE_KINDS)('every coach route is refused to other coaches and to anonymous callers (%s)', (kind) => {
  let context: TestContext;
  let owner: Coach;
  let ids: Record<string, string>;
  let ownerData: string[];

  beforeAll(async () => {
    context = await createTestContext(kind);
    owner = await createCoach(context, { isAdmin: true, name: 'Owner Coach' });
    const engagement = await createEngagement(context.db, context.clock, owner.id, CONFIDENTIAL_ENGAGEMENT);
    const questionnaire = await copyQuestionnaire(context.db, context.clock, owner.id, 'leadership-360');
    const invitation = await inviteCoach(context.db, mailContext(context.deps), owner, 'newcoach@example.com');
    const { round } = await createRoundWithRaters(context, owner, { peers: 3 }, { engagement });
    const rater = await context.db.selectFrom('invitations').select('id').where('round_id', '=', round.id).where('is_client', '=', 0).executeTakeFirstOrThrow();
    const nominationToken = await requestNominationToken(round.id);
    await submitNominations(context.db, context.clock, nominationToken, 'suggested.rater@example.com,Suggested,peers');
    const nomination = await context.db.selectFrom('nominations').select('id').where('round_id', '=', round.id).executeTakeFirstOrThrow();
    // A second round, answered, closed and released, for the report routes.
    const released = await createRoundWithRaters(context, owner, { peers: 3 }, { engagement });
    await launch(context, owner, released.round.id);
    await deliverOutbox(context);
    for (const mail of (await readEmlOutbox(context)).filter((message) => recipientsOf(message)[0]!.startsWith('peers-'))) {
      await answerSurvey(context.browser(), linkIn(mail, '/s/'), () => 4, { q1: 'owner-only comment' });
    }
    await closeRound(context.db, context.clock, owner.id, released.round.id);
    const release = await releaseReport(context.db, mailContext(context.deps), owner.id, released.round.id, { note: 'private debrief note', linkDays: 90 });
    const focus = await addFocusArea(context.db, owner.id, engagement.id, { ref: 'competency:c1', goal: 'secret goal text' });
    await addActionStep(context.db, owner.id, engagement.id, focus.id, { description: 'secret action text', dueOn: null, status: 'planned' });
    const action = await context.db.selectFrom('action_steps').select('id').where('focus_area_id', '=', focus.id).executeTakeFirstOrThrow();
    // The round under test is the evaluation re-run, so the change report routes apply too.
    const evaluation = await rerunForEvaluation(context.db, context.clock, owner.id, released.round.id, context.deps.views.translator);
    await launch(context, owner, evaluation.id);
    // A team of the engagement (its released baseline), and a norm stored as the norm service stores one.
    const version = questionnaireVersionOf((await findRound(context.db, released.round.id))!.snapshot!);
    const team = await createTeam(context.db, context.clock, owner.id, { name: 'Owner team', questionnaireVersion: version, engagementIds: [engagement.id] });
    const normId = 'owner-norm';
    const leaders = { values: [3, 4, 5], leaderIds: ['a', 'b', 'c'] };
    await insertNorm(context.db, {
      id: normId, coachId: owner.id, questionnaireVersion: version, questionnaireName: 'Leadership 360', sequence: 1, name: 'Owner-only norm', leaders: 3, minimumLeaders: 3, k: 3,
      createdAt: context.clock.now().toISOString(), archivedAt: null, structure: { scalePoints: 5, competencies: [{ id: 'c1', name: 'C1', items: [] }] }, norm: { leaders: 3, subjects: { c1: leaders } },
    });
    ids = {
      engagements: engagement.id,
      questionnaires: questionnaire.id,
      coaches: invitation.id,
      rounds: evaluation.id,
      invitationId: rater.id,
      nominationId: nomination.id,
      releaseId: release.id,
      focusId: focus.id,
      actionId: action.id,
      tokenId: (await createApiToken(context.db, context.clock, owner.id, 'owner token')).apiToken.id,
      teams: team.id,
      norms: normId,
      // Not an object of anyone's: a language of a questionnaire's translation page.
      language: 'fr',
    };
    ownerData = [CONFIDENTIAL_ENGAGEMENT.clientName, CONFIDENTIAL_ENGAGEMENT.organisation, CONFIDENTIAL_ENGAGEMENT.notes, questionnaire.name, 'newcoach@example.com', 'suggested.rater@example.com', 'peers rater 1', 'owner-only comment', 'private debrief note', 'secret goal text', 'secret action text', 'Owner team', 'Owner-only norm'];
  });
  afterAll(() => context.close());

  /** A nomination link for the owner's round, issued as the "ask the client" button does. */
  async function requestNominationToken(roundId: string): Promise<string> {
    const { token, hash } = newSecretToken();
    await context.db.updateTable('rounds').set({ nomination_token_hash: hash }).where('id', '=', roundId).execute();
    return token;
  }

  /** Fills a route's parameters with the owner's ids: `:id` by the route's first segment, others by name. */
  function concrete(path: string): string {
    const section = path.split('/')[1]!;
    return path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
      const id = name === 'id' ? ids[section] : ids[name];
      if (!id) throw new Error(`No owned fixture for parameter ${name} of ${path}: add one to this test`);
      return id;
    });
  }

  async function snapshot(): Promise<string> {
    const tables = ['coaches', 'engagements', 'engagement_stages', 'questionnaires', 'coach_invitations', 'outbox', 'rounds', 'rater_groups', 'invitations', 'invitation_tokens', 'nominations', 'responses', 'drafts', 'report_releases', 'focus_areas', 'action_steps', 'api_tokens', 'norms', 'teams', 'team_members'] as const;
    const rows = await Promise.all(tables.map((table) => context.db.selectFrom(table).selectAll().execute()));
    return JSON.stringify(rows.map((list) => [...list].map((row) => JSON.stringify(row)).sort()));
  }

  async function request(browser: TestBrowser, method: string, path: string) {
    return method === 'GET' ? browser.get(path) : browser.post(path, PLAUSIBLE_FORM);
  }

  it('knows the coach routes', () => {
    const routes = coachRoutes(context.app);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toContainEqual({ method: 'POST', path: '/engagements/:id/edit' });
  });

  it('answers another coach 404 on every route that names an object, and changes nothing', async () => {
    const other = await signedInBrowser(context, await createCoach(context, { name: 'Other Coach' }));
    const before = await snapshot();
    for (const route of coachRoutes(context.app)) {
      const path = concrete(route.path);
      const response = await request(other, route.method, path);
      if (route.path.includes(':') || route.path.startsWith('/coaches')) {
        expect(response.status, `${route.method} ${path}`).toBe(404);
      } else {
        expect(response.status, `${route.method} ${path}`).toBeLessThan(500);
      }
      for (const secret of ownerData) expect(response.text, `${route.method} ${path} leaks "${secret}"`).not.toContain(secret);
    }
    // The other coach may create their own things on parameterless routes; the owner's rows are untouched.
    const after = JSON.parse(await snapshot()) as string[][];
    const original = JSON.parse(before) as string[][];
    original.forEach((rows, table) => rows.forEach((row) => expect(after[table]).toContain(row)));
  });

  it('sends anonymous callers to sign in on every coach route, and changes nothing', async () => {
    const before = await snapshot();
    const anonymous = context.browser();
    for (const route of coachRoutes(context.app)) {
      const response = await request(anonymous, route.method, concrete(route.path));
      expect(response.status, `${route.method} ${route.path}`).toBe(303);
      expect(response.location, `${route.method} ${route.path}`).toMatch(/^\/login/);
    }
    expect(await snapshot()).toBe(before);
  });

  it('lets the owner open every page', async () => {
    const browser = await signedInBrowser(context, owner);
    // The evaluation round is still open: its report and change report have no published version to export yet.
    const unpublished = new Set(['/rounds/:id/change.csv', '/rounds/:id/change.json', '/rounds/:id/report.csv', '/rounds/:id/report.json']);
    for (const route of coachRoutes(context.app).filter((candidate) => candidate.method === 'GET')) {
      const response = await browser.get(concrete(route.path));
      if (unpublished.has(route.path)) expect(response.status, route.path).toBe(409);
      else expect(response.status, route.path).toBeLessThan(400);
    }
  });
});
