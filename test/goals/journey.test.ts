import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { splitFields } from '../../server/rounds/rater-list';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * From baseline to closure: plan, pulse, evaluation re-run, change report and summary, through
 * the HTTP interface as the coach, the raters and the client use it.
 */
describe.each(DATABASE_KINDS)('goals, pulses and the evaluation re-run (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let engagementId: string;
  let baselineId: string;
  let pulseId: string;
  let evaluationId: string;
  let seen = 0;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Noor Coach' });
    browser = await signedInBrowser(context, coach);
    const { round, engagement } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 3, others: 1 });
    baselineId = round.id;
    engagementId = engagement.id;
  });
  afterAll(() => context.close());

  /** New survey links since the last call, by recipient. */
  async function newLinks(): Promise<Map<string, string>> {
    await deliverOutbox(context);
    const all = await readEmlOutbox(context);
    const fresh = all.slice(seen).filter((mail) => (mail.text ?? '').includes('/s/'));
    seen = all.length;
    return new Map(fresh.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
  }
  const linkOf = (links: Map<string, string>, prefix: string) => [...links].find(([email]) => email.startsWith(prefix))?.[1];

  // Item c3i1 ("Listens attentively without interrupting."), per rater, baseline then evaluation.
  const LISTENING: Record<string, [number, number]> = {
    'manager-1': [2, 4],
    'peers-1': [2, 4],
    'peers-2': [2, 4],
    'peers-3': [3, 5],
    'reports-1': [2, 4],
    'reports-2': [3, 4],
    'reports-3': [3, 5],
  };
  const raterKey = (email: string) => email.split('-').slice(0, 2).join('-');

  it('runs the baseline; nobody can plan before the report is released', async () => {
    await launch(context, coach, baselineId);
    const links = await newLinks();
    for (const [email, link] of links) {
      if (email.startsWith('others-')) {
        await context.browser().post(`${link}/decline`, { reason: '' });
        continue;
      }
      const listening = LISTENING[raterKey(email)]?.[0] ?? 4;
      expect((await answerSurvey(context.browser(), link, (id) => (id === 'c3i1' ? listening : 3))).status).toBe(200);
    }
    expect((await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'competency:c3', goal: '' })).status).toBe(409);
    await browser.post(`/rounds/${baselineId}/close`);
    expect((await browser.post(`/rounds/${baselineId}/release`, { note: '' })).status).toBe(303);
  });

  it('builds a plan of up to three focus areas with goals and actions, which the client sees', async () => {
    const page = await browser.get(`/engagements/${engagementId}/plan`);
    expect(page.text).toContain('The whole competency: Communication');
    expect((await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'competency:c3', goal: 'Be heard as listening.' })).status).toBe(303);
    expect((await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'item:c3i1', goal: 'Let people finish.' })).status).toBe(303);
    const duplicate = await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'competency:c3', goal: '' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('This is already a focus area.');
    expect((await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'item:nope', goal: '' })).status).toBe(422);
    expect((await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'item:c7i2', goal: '' })).status).toBe(303);
    const fourth = await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'item:c1i1', goal: '' });
    expect(fourth.status).toBe(422);
    expect(fourth.text).toContain('at most 3 focus areas');

    const focus = await context.db.selectFrom('focus_areas').selectAll().where('engagement_id', '=', engagementId).orderBy('position').execute();
    expect(focus.map((row) => [row.type, row.ref_id, row.label])).toEqual([
      ['competency', 'c3', 'Communication'],
      ['item', 'c3i1', 'Listens attentively without interrupting.'],
      ['item', 'c7i2', 'Asks for feedback and acts on it.'],
    ]);
    expect((await browser.post(`/engagements/${engagementId}/focus-areas/${focus[2]!.id}/remove`)).status).toBe(303);
    expect((await browser.post(`/engagements/${engagementId}/plan`, { [`goal.${focus[0]!.id}`]: 'Team members feel heard.' })).status).toBe(303);
    expect((await browser.post(`/engagements/${engagementId}/focus-areas/${focus[0]!.id}/actions`, { description: 'Summarise before replying', dueOn: '2026-04-01', status: 'planned' })).status).toBe(303);
    const badAction = await browser.post(`/engagements/${engagementId}/focus-areas/${focus[0]!.id}/actions`, { description: '', dueOn: 'soon', status: 'planned' });
    expect(badAction.status).toBe(422);
    const action = await context.db.selectFrom('action_steps').selectAll().executeTakeFirstOrThrow();
    expect((await browser.post(`/engagements/${engagementId}/plan`, { [`description.${action.id}`]: 'Summarise before replying', [`dueOn.${action.id}`]: '2026-04-01', [`status.${action.id}`]: 'in-progress' })).status).toBe(303);

    // The client's report link shows the plan, and the report marks the focus areas.
    await deliverOutbox(context);
    const release = (await readEmlOutbox(context)).filter((mail) => (mail.text ?? '').includes('/r/')).at(-1)!;
    seen = (await readEmlOutbox(context)).length;
    const client = await context.browser().get(linkIn(release, '/r/'));
    expect(client.text).toContain('Your development plan');
    expect(client.text).toContain('Team members feel heard.');
    expect(client.text).toContain('Summarise before replying');
    expect(client.text).toContain('In progress');
    expect(client.text).toContain('Focus area</span>');
    const engagement = await browser.get(`/engagements/${engagementId}`);
    expect(engagement.text).toContain('Team members feel heard.');
  });

  it('sends a pulse to the baseline raters (not those who declined) and reports it under the anonymity rule', async () => {
    const created = await browser.post(`/engagements/${engagementId}/pulses`, { sinceDay: '2026-03-02', deadlineDay: '2026-03-20', message: '' });
    expect(created.status).toBe(303);
    pulseId = created.location!.split('/')[2]!;
    const invitations = await context.db.selectFrom('invitations').select(['email', 'group_key']).where('round_id', '=', pulseId).execute();
    expect(invitations).toHaveLength(8); // the client and 7 raters; the declined "others" rater is not asked again
    expect(invitations.some((invitation) => invitation.email.startsWith('others-'))).toBe(false);
    expect((await browser.post(`/rounds/${pulseId}/launch`)).status).toBe(303);
    const links = await newLinks();
    const mails = (await readEmlOutbox(context)).filter((message) => (message.text ?? '').includes('/s/')).slice(-8);
    expect(mails.some((mail) => mail.subject === 'A quick check-in on Jordan Lee\'s progress, by 20 Mar 2026')).toBe(true);

    const survey = await context.browser().get(linkOf(links, 'peers-1')!);
    expect(survey.text).toContain('Since 2 Mar 2026, has Jordan become more or less effective at this?');
    expect(survey.text).toContain('Much more effective');

    // Answers on −3..+3 (the survey's points 1..7). Focus 1: peers +2 +1 0, reports −1 +1 +1, manager +3, self +2.
    const change: Record<string, number> = { 'peers-1': 2, 'peers-2': 1, 'peers-3': 0, 'reports-1': -1, 'reports-2': 1, 'reports-3': 1, 'manager-1': 3 };
    for (const [email, link] of links) {
      const value = email.startsWith('jordan') ? 2 : change[raterKey(email)]!;
      expect((await answerSurvey(context.browser(), link, () => value + 4, {})).status).toBe(200);
    }
    const open = await browser.get(`/rounds/${pulseId}/report`);
    expect(open.text).toContain('No figures until the round closes');
    expect(open.text).not.toContain('+1.00');
    await browser.post(`/rounds/${pulseId}/close`);
    const report = await browser.get(`/rounds/${pulseId}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('version 1, published');
    // All others: 2+1+0−1+1+1+3 = 7 over 7 raters → +1.00; more 5/7 = 71%, same 1/7 = 14%, less 1/7 = 14%.
    expect(report.text).toMatch(/All others<\/th><td class="num"[^>]*>7<\/td><td class="num"[^>]*>\+1\.00<\/td><td class="num"[^>]*>71%<\/td><td class="num"[^>]*>14%<\/td><td class="num"[^>]*>14%<\/td>/);
    // Peers: (2+1+0)/3 = +1.00, 67% / 33% / 0%. Direct reports: (−1+1+1)/3 = +0.33, 67% / 0% / 33%.
    expect(report.text).toMatch(/Peers<\/th><td class="num"[^>]*>3<\/td><td class="num"[^>]*>\+1\.00<\/td><td class="num"[^>]*>67%<\/td><td class="num"[^>]*>33%<\/td><td class="num"[^>]*>0%<\/td>/);
    expect(report.text).toMatch(/Direct reports<\/th><td class="num"[^>]*>3<\/td><td class="num"[^>]*>\+0\.33<\/td><td class="num"[^>]*>67%<\/td><td class="num"[^>]*>0%<\/td><td class="num"[^>]*>33%<\/td>/);
    expect(report.text).toMatch(/Manager<\/th><td class="num"[^>]*>1<\/td><td class="num"[^>]*>\+3\.00<\/td>/);
  });

  it('re-runs the baseline for evaluation: same questionnaire, groups and raters, new links, a follow-up invitation', async () => {
    // Editing the questionnaire since does not matter: the re-run copies the baseline's frozen snapshot.
    const rerun = await browser.post(`/rounds/${baselineId}/rerun`);
    expect(rerun.status).toBe(303);
    evaluationId = rerun.location!.split('/')[2]!;
    const [baseline, evaluation] = await Promise.all(
      [baselineId, evaluationId].map((id) => context.db.selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirstOrThrow()),
    );
    expect(evaluation).toMatchObject({ purpose: 'evaluation', status: 'draft', baseline_round_id: baselineId, k: baseline.k, tau: baseline.tau });
    expect(evaluation.questionnaire_snapshot).toBe(baseline.questionnaire_snapshot);
    const groupsOf = async (id: string) => context.db.selectFrom('rater_groups').select(['key', 'label', 'minimum', 'anonymous']).where('round_id', '=', id).orderBy('position').execute();
    expect(await groupsOf(evaluationId)).toEqual(await groupsOf(baselineId));
    const edit = await browser.get(`/rounds/${evaluationId}/edit`);
    expect(edit.text).toContain('keeps the questionnaire, rater groups, minimums and k of the round it follows');
    expect((await browser.post(`/rounds/${evaluationId}/details`, { deadlineDay: '2026-03-01', message: '' })).status).toBe(422);
    expect((await browser.post(`/rounds/${evaluationId}/details`, { deadlineDay: '2026-04-10', message: 'Follow-up, please.' })).status).toBe(303);

    await browser.post(`/rounds/${evaluationId}/launch`);
    const links = await newLinks();
    expect(links.size).toBe(8);
    const invitationsSent = (await readEmlOutbox(context)).filter((message) => (message.text ?? '').includes('/s/')).slice(-8);
    const mail = invitationsSent.find((message) => recipientsOf(message)[0]!.startsWith('peers-1'))!;
    expect(mail.subject).toBe('Follow-up feedback for Jordan Lee: please respond by 10 Apr 2026');
    expect(mail.text).toContain('it is time to look at how things have changed');
    for (const [email, link] of links) {
      const listening = LISTENING[raterKey(email)]?.[1] ?? 4;
      expect((await answerSurvey(context.browser(), link, (id) => (id === 'c3i1' ? listening : 3))).status).toBe(200);
    }
  });

  it('reports what changed with Welch intervals, focus areas first, and offers closure', async () => {
    const open = await browser.get(`/rounds/${evaluationId}/change`);
    expect(open.text).toContain('No figures until the evaluation round closes');
    expect((await browser.get(`/rounds/${evaluationId}/change.csv`)).status).toBe(409);
    await browser.post(`/rounds/${evaluationId}/close`);
    const page = await browser.get(`/rounds/${evaluationId}/change`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('What changed for Jordan Lee');
    expect(page.text).toContain('8 people were invited to both rounds');
    const focusSection = page.text.slice(page.text.indexOf('<h3>Focus areas</h3>'), page.text.indexOf('<h3>Other reliable changes</h3>'));
    expect(focusSection).toContain('“Listens attentively without interrupting” improved reliably');
    // The item table lists focus items first.
    const items = page.text.slice(page.text.indexOf('item-change-heading'));
    expect(items.indexOf('Listens attentively')).toBeLessThan(items.indexOf('Describes a clear and compelling direction'));

    const csv = (await browser.get(`/rounds/${evaluationId}/change.csv`)).text.replace(/^\uFEFF/, '').trim().split('\r\n').map(splitFields);
    expect(csv[0]).toEqual(['level', 'label', 'focus', 'raters', 'baseline_mean', 'baseline_n', 'evaluation_mean', 'evaluation_n', 'difference', 'ci_lower', 'ci_upper', 'effect_size', 'verdict', 'note']);
    const row = csv.find((fields) => fields[0] === 'item' && fields[1] === 'Listens attentively without interrupting.' && fields[3] === 'All others')!;
    // Baseline 2,2,2,3,2,3,3 → 17/7 = 2.428571 (s² = 2/7); evaluation 4,4,4,5,4,4,5 → 30/7 = 4.285714 (s² = 5/21).
    // Difference 13/7 = 1.857143; se = √(2/49 + 5/147) = 0.273551; df = 11.90; t(0.975) between 2.179 (df 12) and
    // 2.201 (df 11) → lower bound between 1.857143 − 2.201·0.273551 = 1.2550 and 1.857143 − 2.179·0.273551 = 1.2611.
    // Effect size: 13/7 / √((6·2/7 + 6·5/21) / 12) = 1.857143 / 0.511766 = 3.628865.
    expect(row.slice(2, 8)).toEqual(['yes', 'All others', '2.428571', '7', '4.285714', '7']);
    expect(Number(row[8])).toBeCloseTo(1.857143, 5);
    expect(Number(row[9])).toBeGreaterThan(1.255);
    expect(Number(row[9])).toBeLessThan(1.2611);
    expect(Number(row[11])).toBeCloseTo(3.628865, 4);
    expect(row[12]).toBe('reliable-improvement');
    // An item nobody changed on: 3 both times, no variation at all → no interval, no reliable change.
    const flat = csv.find((fields) => fields[1] === 'Describes a clear and compelling direction for the team.' && fields[3] === 'All others')!;
    expect(flat[12]).toBe('no-reliable-change');
    expect(flat[9]).toBe('');

    const json = JSON.parse((await browser.get(`/rounds/${evaluationId}/change.json`)).text) as { change: { ratersInBoth: number; focusAreas: unknown[] } };
    expect(json.change.ratersInBoth).toBe(8);
    expect(json.change.focusAreas).toHaveLength(2);
    expect(JSON.stringify(json)).not.toContain('example.com');

    const engagement = await browser.get(`/engagements/${engagementId}`);
    expect(engagement.text).toContain('The evaluation report is ready.');
    expect((await browser.post(`/engagements/${engagementId}/stage`, { stage: 'evaluation', enteredOn: '2026-03-02' })).status).toBe(303);
    expect((await browser.get(`/engagements/${engagementId}`)).text).not.toContain('The evaluation report is ready.');
  });

  it('prints an engagement summary with the timeline, rounds, focus areas, the change found and a closing note', async () => {
    const saved = await browser.post(`/engagements/${engagementId}/closing-note`, { closingNote: 'Jordan now listens first.\nNext: the board.' });
    expect(saved.status).toBe(303);
    const summary = await browser.get(`/engagements/${engagementId}/summary`);
    expect(summary.text).toContain('Coaching with Jordan Lee');
    expect(summary.text).toContain('Evaluation and closure');
    expect(summary.text).toMatch(/Baseline 360[\s\S]*8 of 9/);
    expect(summary.text).toMatch(/Pulse check-in[\s\S]*8 of 8/);
    expect(summary.text).toContain('Team members feel heard.');
    expect(summary.text).toContain('2.43 → 4.29 (+1.86): reliable improvement');
    expect(summary.text).toContain('Jordan now listens first.\nNext: the board.');
  });
});
