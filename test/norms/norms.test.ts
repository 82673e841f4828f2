import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { createNorm, getNorm, listNorms } from '../../server/norms/norms.service';
import { findRound } from '../../server/rounds/rounds.repository';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { normAuditorLeak } from '../reports/auditor';
import { assessedLeader, everywhere, practiceQuestionnaire } from './practice';

describe.each(DATABASE_KINDS)('practice norms through the server (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let questionnaireId: string;
  let version: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    questionnaireId = await practiceQuestionnaire(context, coach);
  });
  afterAll(() => context.close());

  const visibleNorms = async () => Promise.all((await listNorms(context.db, coach.id, { archived: false }, { after: null, limit: 100 })).items.map((norm) => getNorm(context.db, coach.id, norm.id)));
  const idFrom = (location: string | null) => /^\/norms\/([A-Za-z0-9_-]+)$/.exec(location ?? '')![1]!;

  it('exists only with the minimum of leaders (10 by default), and says how many more are needed', async () => {
    // Nine leaders: i1 = 2 3 3 3 4 4 4 4 5, the other items 3.
    const first = [2, 3, 3, 3, 4, 4, 4, 4, 5];
    const assessed = [];
    for (const value of first) assessed.push(await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: value }));
    const round = (await findRound(context.db, assessed[0]!.round.id))!;
    version = questionnaireVersionOf(round.snapshot!);

    const page = await browser.get('/norms/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Team basics');
    expect(page.text).toContain('1 more leader needed');
    const refused = await browser.post('/norms', { version });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('A norm needs at least 10 leaders; 9 have a closed baseline on this questionnaire, so 1 more leader is needed.');
    expect(await visibleNorms()).toEqual([]);

    // The tenth leader, and a second engagement of the first client, who still enters once (with the newer baseline: i1 = 5).
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 5 });
    context.clock.advanceDays(1);
    const firstClient = await context.db.selectFrom('engagements').select('client_email').where('id', '=', assessed[0]!.engagement.id).executeTakeFirstOrThrow();
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 5 }, { email: firstClient.client_email, name: 'Leader again' });
    const created = await browser.post('/norms', { version });
    expect(created.status).toBe(303);
    const norm = await getNorm(context.db, coach.id, idFrom(created.location));
    expect(norm.leaders).toBe(10);
    expect(norm.name).toMatch(/^Practice norm, [A-Z][a-z]{2} \d{4}, 10 leaders$/);
    // The first client's newer baseline replaced their 2: i1 = 3 3 3 4 4 4 4 5 5 5.
    expect(norm.norm.subjects.i1!.values).toEqual([3, 3, 3, 4, 4, 4, 4, 5, 5, 5]);
    expect(norm.norm.subjects.c1!.values).toEqual([3, 3, 3, 3.5, 3.5, 3.5, 3.5, 4, 4, 4]);
    expect(norm.norm.subjects.i3!.values).toEqual(Array(10).fill(3));

    // The norm's page shows the number of leaders and their average, never a leader's value:
    // i1 averages (3 × 3 + 4 × 4 + 3 × 5) / 10 = 40 / 10 = 4.00; c1 (9 + 14 + 12) / 10 = 3.50.
    const shown = await browser.get(`/norms/${norm.id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toMatch(/Sets clear goals<\/th><td class="num" data-label="Leaders">10<\/td><td class="num" data-label="Average">4\.00</);
    expect(shown.text).toMatch(/Competency score<\/th><td class="num" data-label="Leaders">10<\/td><td class="num" data-label="Average">3\.50</);
  });

  it('refuses a norm that would give away the leaders added since a visible one, and says what would allow it', async () => {
    const [first] = await visibleNorms();
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 2 });
    const refused = await browser.post('/norms', { version });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`It holds only 1 leader more than «${first!.name}»: wait until at least 2 more leaders have a closed baseline on this questionnaire, or archive «${first!.name}» first.`);
    expect(refused.text).toContain(`href="/norms/${first!.id}"`);
    expect(await visibleNorms()).toHaveLength(1);

    // The API's answer says the same, with the numbers.
    await expect(createNorm(context.db, context.clock, coach.id, version, { minimumLeaders: 10 })).rejects.toMatchObject({
      status: 409,
      details: { reason: 'would-single-out', leadersSingledOut: 1, k: 3, moreLeadersNeeded: 2, archiveFirst: [{ id: first!.id, name: first!.name }] },
    });

    // Two more leaders: three between the norms, which no combination of the two can single out.
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 4 });
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 1 });
    const second = await browser.post('/norms', { version });
    expect(second.status).toBe(303);
    const visible = await visibleNorms();
    expect(visible.map((norm) => norm.leaders).sort()).toEqual([10, 13]);
    expect(normAuditorLeak(visible.map((norm) => norm.norm), 3)).toBeNull();
    expect(visible.find((norm) => norm.leaders === 13)!.sequence).toBe(2);
  });

  it('lets no leader added between two visible norms be recovered, whatever the coach archives and restores', async () => {
    const before = await visibleNorms();
    const newest = before.find((norm) => norm.leaders === 13);
    const oldest = before.find((norm) => norm.leaders === 10);
    // One more leader (14): beside the 13-leader norm it would single that leader out.
    await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 5 });
    expect((await browser.post('/norms', { version })).status).toBe(409);
    // Archiving the 13-leader norm makes room: 14 against 10 differ by 4.
    expect((await browser.post(`/norms/${newest!.id}/archive`)).status).toBe(303);
    const third = await browser.post('/norms', { version });
    expect(third.status).toBe(303);
    // Restoring the 13-leader norm now would stand beside the 14-leader one: refused, with the page explaining.
    const restore = await browser.post(`/norms/${newest!.id}/restore`);
    expect(restore.status).toBe(409);
    expect(restore.text).toContain('Not restored.');
    expect((await getNorm(context.db, coach.id, newest!.id)).archivedAt).not.toBeNull();
    const visible = await visibleNorms();
    expect(visible.map((norm) => norm.leaders).sort()).toEqual([10, 14]);
    expect(visible.map((norm) => norm.id)).toContain(oldest!.id);
    // The auditor, holding every number of every visible norm, isolates nobody; with the refused pair it would have.
    expect(normAuditorLeak(visible.map((norm) => norm.norm), 3)).toBeNull();
    expect(normAuditorLeak([newest!.norm, visible.find((norm) => norm.leaders === 14)!.norm], 3)).toHaveLength(1);
    // Archived norms are listed apart.
    const archived = await browser.get('/norms?archived=1');
    expect(archived.text).toContain(newest!.name);
  });

  it('frees the event loop while it reads and builds the leaders\' reports', async () => {
    await context.db.updateTable('norms').set({ archived_at: context.clock.now().toISOString() }).where('coach_id', '=', coach.id).execute();
    let turns = 0;
    let building = true;
    const count = () => {
      turns += 1;
      if (building) setImmediate(count);
    };
    setImmediate(count);
    const norm = await createNorm(context.db, context.clock, coach.id, version, { minimumLeaders: 10 });
    building = false;
    expect(norm.leaders).toBe(14);
    // At least one turn of the event loop after each leader's report.
    expect(turns).toBeGreaterThanOrEqual(14);
  });

  it('is the coach\'s own: another coach sees none of it', async () => {
    const other = await signedInBrowser(context, await createCoach(context));
    const [norm] = await visibleNorms();
    expect((await other.get(`/norms/${norm!.id}`)).status).toBe(404);
    expect((await other.post(`/norms/${norm!.id}/archive`)).status).toBe(404);
    expect((await other.post('/norms', { version })).status).toBe(404);
    expect((await other.get('/norms')).text).not.toContain(norm!.name);
  });
});
