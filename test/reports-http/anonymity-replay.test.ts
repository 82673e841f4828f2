import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../reports';
import { createApiToken } from '../../server/api/api-tokens.service';
import type { Coach } from '../../server/auth/coach';
import { addFocusArea } from '../../server/focus-areas/focus-areas.service';
import { Auditor, type AuditedRater } from '../reports/auditor';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, ITEM_IDS, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * Cases 1 to 4 of the anonymity issue, replayed from the outside: a coach who loads the report, its
 * CSV and JSON exports and the API after every answer, a client who keeps both releases, a pulse
 * loaded while open and after a reopen, and a closed report with a rater who skipped an item. Every
 * model anyone was served goes to the auditor with the truth of who answered what; it must find no
 * combination resting on fewer than 3 anonymous raters.
 */
describe.each(DATABASE_KINDS)('what a coach and a client can collect over HTTP (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let token: string;
  let roundId: string;
  let engagementId: string;
  const raters: AuditedRater[] = [];
  /** Raters (indexes into `raters`) who have submitted, in order. */
  const submitted: number[] = [];
  /** The raters behind each version, as first seen. */
  const versionMembers = new Map<number, Set<number>>();
  let auditor: Auditor;
  let models = 0;

  const api = (path: string) => context.app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  const ratingOf = (rater: number, item: number): number | 'na' => (rater === 4 && item === 1 ? 'na' : ((item * 7 + rater * 3) % 5) + 1);

  async function linksOf(prefix: string): Promise<string[]> {
    await deliverOutbox(context);
    return (await readEmlOutbox(context)).filter((mail) => recipientsOf(mail)[0]!.startsWith(prefix) && (mail.text ?? '').includes('/s/')).map((mail) => linkIn(mail, '/s/'));
  }

  async function answer(link: string, group: string): Promise<void> {
    const index = raters.length;
    raters.push({
      group,
      self: group === 'self',
      anonymous: group !== 'self' && group !== 'manager',
      ratings: Object.fromEntries(ITEM_IDS.map((id, item) => [id, ratingOf(index, item) === 'na' ? null : (ratingOf(index, item) as number)])),
      comments: { q1: `comment number ${index}` },
    });
    const response = await answerSurvey(context.browser(), link, (_id, item) => ratingOf(index, item), { q1: `comment number ${index}` });
    expect(response.status).toBe(200);
    submitted.push(index);
  }

  /** Everything the coach can load about the round now; what has figures goes to the auditor. */
  async function loadEverything(): Promise<ReportModel | null> {
    const page = await browser.get(`/rounds/${roundId}/report`);
    const csv = await browser.get(`/rounds/${roundId}/report.csv`);
    const json = await browser.get(`/rounds/${roundId}/report.json`);
    const viaApi = await api(`/rounds/${roundId}/report`);
    if (json.status === 409) {
      expect([csv.status, viaApi.status]).toEqual([409, 409]);
      expect(page.text).not.toContain('Competencies at a glance');
      return null;
    }
    expect([json.status, csv.status, viaApi.status]).toEqual([200, 200, 200]);
    const body = JSON.parse(json.text) as { round: { version: number }; report: ReportModel };
    const { round: apiRound, ...apiModel } = (await viaApi.json()) as { round: { version: number } } & ReportModel;
    expect(apiRound.version).toBe(body.round.version);
    expect(apiModel).toEqual(body.report);
    if (!versionMembers.has(body.round.version)) versionMembers.set(body.round.version, new Set(submitted));
    auditor.publishReport({ label: `version ${body.round.version}`, members: versionMembers.get(body.round.version)! }, body.report);
    models += 1;
    return body.report;
  }

  async function releasedModels(): Promise<ReportModel[]> {
    const rows = await context.db.selectFrom('report_releases').select('report').where('round_id', '=', roundId).orderBy('version').execute();
    return rows.map((row) => JSON.parse(row.report) as ReportModel);
  }

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Replay Coach' });
    browser = await signedInBrowser(context, coach);
    token = (await createApiToken(context.db, context.clock, coach.id, 'Auditor')).token;
    const created = await createRoundWithRaters(context, coach, { manager: 1, peers: 4, reports: 3, others: 1 });
    roundId = created.round.id;
    engagementId = created.engagement.id;
    await launch(context, coach, roundId);
    auditor = new Auditor(raters, 3, { min: 1, max: 5 });
  });
  afterAll(() => context.close());

  it('case 1: loading everything after each answer of an open round shows no figures at all', async () => {
    for (const [prefix, group] of [['jordan.lee', 'self'], ['manager-1', 'manager'], ['peers-1', 'peers'], ['peers-2', 'peers'], ['peers-3', 'peers'], ['peers-4', 'peers'], ['reports-1', 'reports'], ['reports-2', 'reports'], ['reports-3', 'reports'], ['others-1', 'others']] as const) {
      await answer((await linksOf(prefix))[0]!, group);
      expect(await loadEverything()).toBeNull();
    }
    expect(models).toBe(0);
  });

  it('case 4: the closed report, with a peer who skipped an item, derives competencies from the items shown', async () => {
    expect((await browser.post(`/rounds/${roundId}/close`)).status).toBe(303);
    const model = (await loadEverything())!;
    const competency = model.competencies[0]!;
    const others = competency.allOthers;
    if (others.withheld) throw new Error('withheld');
    const itemMeans = competency.items.flatMap((item) => (item.allOthers.withheld || item.allOthers.mean === null ? [] : [item.allOthers.mean]));
    expect(others.mean).toBeCloseTo(itemMeans.reduce((a, b) => a + b, 0) / itemMeans.length, 12);
    expect(auditor.findLeak()).toBeNull();
  });

  it('case 2: a reopen with one late peer changes neither the report nor a new release; three late peers make version 2', async () => {
    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'First.' })).status).toBe(303);
    const first = await loadEverything();
    await browser.post(`/rounds/${roundId}/reopen`, { deadlineDay: '2026-03-30' });
    await browser.post(`/rounds/${roundId}/raters`, { email: 'late-1@example.com', name: '', group: 'peers' });
    await answer((await linksOf('late-1'))[0]!, 'peers');
    expect(await loadEverything()).toEqual(first);
    await browser.post(`/rounds/${roundId}/close`);
    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'Second.' })).status).toBe(303);
    const [release1, release2] = await releasedModels();
    expect(release2).toEqual(release1);
    expect(release1).toEqual(first);

    await browser.post(`/rounds/${roundId}/reopen`, { deadlineDay: '2026-03-30' });
    for (const email of ['late-2@example.com', 'late-3@example.com']) {
      await browser.post(`/rounds/${roundId}/raters`, { email, name: '', group: 'peers' });
      await answer((await linksOf(email.split('@')[0]!))[0]!, 'peers');
      await loadEverything();
    }
    expect([...versionMembers.keys()]).toEqual([1, 2]);
    expect(versionMembers.get(2)!.size - versionMembers.get(1)!.size).toBe(3);
    await browser.post(`/rounds/${roundId}/close`);
    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'Third.' })).status).toBe(303);
    const releases = await releasedModels();
    for (const [index, release] of releases.entries()) auditor.publishReport({ label: `release ${index + 1}`, members: versionMembers.get(index < 2 ? 1 : 2)! }, release);
    expect(auditor.findLeak()).toBeNull();
    expect(auditor.size.equations).toBeGreaterThan(100);
  });

  it('case 3: a pulse shows no figures while open, and one late answer after a reopen changes nothing', async () => {
    await addFocusArea(context.db, coach.id, engagementId, { ref: 'competency:c1', goal: 'Listen first.' });
    const created = await browser.post(`/engagements/${engagementId}/pulses`, { sinceDay: '2026-03-02', deadlineDay: '2026-03-20', message: '' });
    const pulseId = created.location!.split('/')[2]!;
    await browser.post(`/rounds/${pulseId}/launch`);
    await deliverOutbox(context);
    const pulseLinks = (await readEmlOutbox(context)).filter((mail) => (mail.subject ?? '').startsWith('A quick check-in')).map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')] as const);
    const figures = async () => {
      const page = await browser.get(`/rounds/${pulseId}/report`);
      // The focus areas' tables: from the first focus section to the comments, whatever the attributes' order.
      const from = page.text.indexOf('<h2 id="pulse-');
      expect(from).toBeGreaterThan(0);
      return page.text.slice(from, page.text.indexOf('id="pulse-comments"'));
    };
    const late = pulseLinks.find(([email]) => email.startsWith('late-3'))!;
    for (const [, link] of pulseLinks.filter((entry) => entry !== late)) {
      expect((await answerSurvey(context.browser(), link, () => 5, {})).status).toBe(200);
      const page = await browser.get(`/rounds/${pulseId}/report`);
      expect(page.text).toContain('No figures until the round closes');
      expect(page.text).not.toMatch(/\+\d\.\d\d/);
    }
    await browser.post(`/rounds/${pulseId}/close`);
    const closed = await figures();
    expect(closed).toContain('+1.00');
    await browser.post(`/rounds/${pulseId}/reopen`, { deadlineDay: '2026-03-30' });
    expect((await answerSurvey(context.browser(), late[1], () => 7, {})).status).toBe(200);
    expect(await figures()).toBe(closed);
    expect((await browser.get(`/rounds/${pulseId}/report`)).text).toContain('1 late answer is held back');
  });
});
