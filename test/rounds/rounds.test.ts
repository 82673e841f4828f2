import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, passSurveyEmailHold, readEmlOutbox, recipientsOf, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, createClientEngagement, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

const ROUND_FORM = {
  questionnaireId: 'leadership-360',
  purpose: 'baseline',
  deadlineDay: '2026-03-20',
  message: 'Please be candid.',
  k: '3',
  tau: '',
  'g.0.label': 'Self',
  'g.1.label': 'Manager',
  'g.1.minimum': '1',
  'g.2.label': 'Peers',
  'g.2.minimum': '3',
  'g.2.anonymous': 'on',
  'g.3.label': 'Direct reports',
  'g.3.minimum': '3',
  'g.3.anonymous': 'on',
  'g.4.label': 'Others',
  'g.4.minimum': '4',
  'g.4.anonymous': 'on',
};

describe.each(DATABASE_KINDS)('running a round as the coach (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    context = await createTestContext(kind, { env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => context.close());

  async function latestMails(after: number) {
    passSurveyEmailHold(context);
    await deliverOutbox(context);
    return (await readEmlOutbox(context)).slice(after);
  }

  it('creates a draft round with the client in the self group and the chosen settings', async () => {
    const engagement = await createClientEngagement(context, coach);
    expect((await browser.get(`/engagements/${engagement.id}/rounds/new`)).status).toBe(200);
    const created = await browser.post(`/engagements/${engagement.id}/rounds`, { ...ROUND_FORM, 'g.1.label': 'Line manager' });
    expect(created.status).toBe(303);
    const roundId = created.location!.split('/')[2]!;
    const round = await context.db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(round).toMatchObject({ status: 'draft', purpose: 'baseline', k: 3, deadline: '2026-03-20T23:59:59.999Z', message: 'Please be candid.', questionnaire_snapshot: null });
    const groups = await context.db.selectFrom('rater_groups').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
    expect(groups.map((group) => [group.key, group.label, group.minimum, group.anonymous])).toEqual([
      ['self', 'Self', 1, 0],
      ['manager', 'Line manager', 1, 0],
      ['peers', 'Peers', 3, 1],
      ['reports', 'Direct reports', 3, 1],
      ['others', 'Others', 4, 1],
    ]);
    const invitations = await context.db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).execute();
    expect(invitations).toMatchObject([{ group_key: 'self', email: 'jordan.lee@example.com', is_client: 1, status: 'pending' }]);
    expect((await browser.get(`/engagements/${engagement.id}`)).text).toContain(`href="/rounds/${roundId}"`);
  });

  it('refuses settings that would weaken anonymity, with the form kept', async () => {
    const engagement = await createClientEngagement(context, coach);
    const response = await browser.post(`/engagements/${engagement.id}/rounds`, { ...ROUND_FORM, 'g.2.minimum': '2', k: '4', 'g.3.minimum': '4', 'g.4.minimum': '4', deadlineDay: '2026-03-01', 'g.3.label': 'peers' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Peers: an anonymous group&#x27;s minimum must be at least k, here 4.');
    expect(response.text).toContain('The deadline must be today or later.');
    expect(response.text).toContain('Each group needs its own label.');
    expect(response.text).toContain('>Please be candid.</textarea>');
    const invalidK = await browser.post(`/engagements/${engagement.id}/rounds`, { ...ROUND_FORM, k: '1' });
    expect(invalidK.status).toBe(422);
    expect(invalidK.text).toContain('k must be at least 2.');
    expect(await context.db.selectFrom('rounds').select('id').where('engagement_id', '=', engagement.id).execute()).toEqual([]);
  });

  it('adds pasted or uploaded raters all at once, or reports every bad line and adds none', async () => {
    const { round } = await createRoundWithRaters(context, coach, {});
    const bad = await browser.post(`/rounds/${round.id}/raters/import`, {
      list: [
        'email,name,group',
        'ana@example.com,Ana Ruiz,peers',
        'not-an-email,Bob,peers',
        'ana@example.com,Ana again,peers',
        'carl@example.com,Carl,friends',
        'jordan.lee@example.com,Jordan,peers',
        'dee@example.com,Dee,self',
        'eve@example.com,"Eve, the boss",manager',
      ].join('\n'),
    });
    expect(bad.status).toBe(422);
    for (const message of [
      'Line 3: &quot;not-an-email&quot; is not a valid email address.',
      'Line 4: ana@example.com is already on line 2.',
      'Line 5: Unknown group &quot;friends&quot;. Use one of: Manager, Peers, Direct reports, Others.',
      'Line 6: jordan.lee@example.com is the client&#x27;s own address.',
      'Line 7: The client is added to the self group automatically; choose another group.',
    ]) {
      expect(bad.text).toContain(message);
    }
    expect(await context.db.selectFrom('invitations').select('id').where('round_id', '=', round.id).execute()).toHaveLength(1);

    const form = new FormData();
    form.set('file', new File(['email,name,group\nana@example.com,Ana Ruiz,Peers\neve@example.com,"Eve, the boss",manager\r\nfin@example.com\tFin\tdirect report\n'], 'raters.csv', { type: 'text/csv' }));
    const uploaded = await browser.postMultipart(`/rounds/${round.id}/raters/import`, form);
    expect(uploaded.status).toBe(303);
    const invitations = await context.db.selectFrom('invitations').select(['email', 'name', 'group_key']).where('round_id', '=', round.id).where('is_client', '=', 0).orderBy('position').execute();
    expect(invitations).toEqual([
      { email: 'ana@example.com', name: 'Ana Ruiz', group_key: 'peers' },
      { email: 'eve@example.com', name: 'Eve, the boss', group_key: 'manager' },
      { email: 'fin@example.com', name: 'Fin', group_key: 'reports' },
    ]);
    const duplicate = await browser.post(`/rounds/${round.id}/raters`, { email: 'ANA@example.com', name: '', group: 'peers' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.text).toContain('ana@example.com is already a rater in this round.');
    const one = await browser.post(`/rounds/${round.id}/raters`, { email: 'gus@example.com', name: 'Gus', group: 'others' });
    expect(one.status).toBe(303);
    const removed = await context.db.selectFrom('invitations').select('id').where('email', '=', 'gus@example.com').executeTakeFirstOrThrow();
    expect((await browser.post(`/rounds/${round.id}/raters/${removed.id}/remove`)).status).toBe(303);
    const client = await context.db.selectFrom('invitations').select('id').where('round_id', '=', round.id).where('is_client', '=', 1).executeTakeFirstOrThrow();
    expect((await browser.post(`/rounds/${round.id}/raters/${client.id}/remove`)).status).toBe(409);
  });

  it('launches once, freezing the questionnaire; shows links when email is not configured', async () => {
    const copy = await browser.post('/questionnaires/leadership-360/copy');
    const questionnaireId = copy.location!.split('/')[2]!;
    const engagement = await createClientEngagement(context, coach);
    const created = await browser.post(`/engagements/${engagement.id}/rounds`, { ...ROUND_FORM, questionnaireId });
    const roundId = created.location!.split('/')[2]!;
    await browser.post(`/rounds/${roundId}/raters/import`, { list: 'p1@example.com,,peers\np2@example.com,,peers\np3@example.com,,peers' });
    const before = (await readEmlOutbox(context)).length;

    const launched = await browser.post(`/rounds/${roundId}/launch`);
    expect(launched.status).toBe(303);
    expect((await browser.post(`/rounds/${roundId}/launch`)).status).toBe(409);
    const mails = await latestMails(before);
    expect(mails).toHaveLength(4);

    // Editing the questionnaire afterwards does not change the round.
    const edit = await browser.get(`/questionnaires/${questionnaireId}/edit`);
    expect(edit.status).toBe(200);
    await browser.post(`/questionnaires/${questionnaireId}/edit`, { name: 'Changed', description: '', scalePoints: '4', scaleLabels: 'a\nb\nc\nd', naLabel: 'N/A', 'c.0.name': 'Only competency', 'c.0.i.0.text': 'Only item' });
    const round = await context.db.selectFrom('rounds').select('questionnaire_snapshot').where('id', '=', roundId).executeTakeFirstOrThrow();
    const snapshot = JSON.parse(round.questionnaire_snapshot!) as { name: string; competencies: unknown[]; scale: { points: number } };
    expect(snapshot.name).toBe('Leadership 360 (copy)');
    expect(snapshot.competencies).toHaveLength(8);
    expect(snapshot.scale.points).toBe(5);
    const survey = await context.browser().get(linkIn(mails[0]!, '/s/'));
    expect(survey.text).toContain('Listens attentively without interrupting.');
    expect(survey.text).not.toContain('Only item');

    const page = await browser.get(`/rounds/${roundId}`);
    expect(page.text).toContain('Email is not configured on this server');
    for (const mail of mails) expect(page.text).toContain(`http://localhost:3000${linkIn(mail, '/s/')}`);
  });

  it('adds raters late with an immediate invitation, reminds only those who have not answered, moves the deadline, closes and reopens', async () => {
    // A client of this round only: the coach's other open rounds here share jordan.lee@example.com, whose emails would go as one (test/portal).
    const engagement = await createClientEngagement(context, coach, { clientEmail: 'jordan.lee.late@example.com' });
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 }, { engagement });
    await launch(context, coach, round.id);
    let seen = (await readEmlOutbox(context)).length;
    passSurveyEmailHold(context);
    await deliverOutbox(context);
    const invitations = (await readEmlOutbox(context)).slice(seen);
    seen += invitations.length;
    const byEmail = new Map(invitations.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
    await answerSurvey(context.browser(), [...byEmail].find(([email]) => email.startsWith('peers-1'))![1]);
    const declineLink = [...byEmail].find(([email]) => email.startsWith('peers-2'))![1];
    await context.browser().post(`${declineLink}/decline`, { reason: '' });

    expect((await browser.post(`/rounds/${round.id}/raters`, { email: 'late@example.com', name: 'Late', group: 'peers' })).status).toBe(303);
    const late = await latestMails(seen);
    seen += late.length;
    expect(late.map((mail) => recipientsOf(mail)[0])).toContain('late@example.com');

    const reminded = await browser.post(`/rounds/${round.id}/remind`);
    expect(reminded.status).toBe(303);
    const reminders = (await latestMails(seen)).filter((mail) => mail.subject?.startsWith('Reminder'));
    seen += reminders.length;
    const remindedEmails = reminders.map((mail) => recipientsOf(mail)[0]!);
    expect(remindedEmails).toHaveLength(3);
    expect(remindedEmails).toEqual(expect.arrayContaining(['jordan.lee.late@example.com', 'late@example.com', expect.stringMatching(/^peers-3/)]));
    expect(reminders.find((mail) => recipientsOf(mail)[0] === 'jordan.lee.late@example.com')!.subject).toBe('Reminder: your self-assessment is due 16 Mar 2026');
    // A reminder carries a new link; the original one still works.
    const peer3 = [...byEmail].find(([email]) => email.startsWith('peers-3'))!;
    const reminderLink = linkIn(reminders.find((mail) => recipientsOf(mail)[0] === peer3[0])!, '/s/');
    expect(reminderLink).not.toBe(peer3[1]);
    expect((await context.browser().get(reminderLink)).status).toBe(200);
    expect((await context.browser().get(peer3[1])).status).toBe(200);

    const moved = await browser.post(`/rounds/${round.id}/deadline`, { deadlineDay: '2026-03-25' });
    expect(moved.status).toBe(303);
    expect((await browser.post(`/rounds/${round.id}/deadline`, { deadlineDay: '2026-03-01' })).status).toBe(422);
    expect((await context.db.selectFrom('rounds').select('deadline').where('id', '=', round.id).executeTakeFirstOrThrow()).deadline).toBe('2026-03-25T23:59:59.999Z');

    expect((await browser.post(`/rounds/${round.id}/close`)).status).toBe(303);
    expect((await context.browser().get(reminderLink)).text).toContain('This round has closed');
    expect((await browser.post(`/rounds/${round.id}/remind`)).status).toBe(409);
    const warning = await browser.get(`/rounds/${round.id}/reopen`);
    expect(warning.text).toContain('the difference between the two would show how they answered');
    expect((await browser.post(`/rounds/${round.id}/reopen`, { deadlineDay: '2026-03-01' })).status).toBe(422);
    expect((await browser.post(`/rounds/${round.id}/reopen`, { deadlineDay: '2026-03-30' })).status).toBe(303);
    expect((await context.browser().get(reminderLink)).status).toBe(200);
  });

  it('lets the client suggest raters, which the coach edits, sets aside or approves before launch', async () => {
    const { round } = await createRoundWithRaters(context, coach, {});
    const seen = (await readEmlOutbox(context)).length;
    expect((await browser.post(`/rounds/${round.id}/nomination`)).status).toBe(303);
    const [request] = await latestMails(seen);
    expect(recipientsOf(request!)).toEqual(['jordan.lee@example.com']);
    expect(request!.subject).toBe('Jordan Lee, who should give you feedback? Please reply by 16 Mar 2026');
    const link = linkIn(request!, '/n/');

    const client = context.browser();
    expect((await client.get(link)).text).toContain('Who should give you feedback?');
    const invalid = await client.post(link, { list: 'kim@example.com,Kim,peers\nnope,Nope,peers' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Line 2:');
    const sent = await client.post(link, { list: 'kim@example.com,Kim,peers\nlou@example.com,Lou,direct reports\nmax@example.com,Max,peers' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('3 suggestions are with your coach');

    const page = await browser.get(`/rounds/${round.id}`);
    expect(page.text).toContain('kim@example.com');
    const nominations = await context.db.selectFrom('nominations').selectAll().where('round_id', '=', round.id).orderBy('position').execute();
    expect((await browser.post(`/rounds/${round.id}/nominations/${nominations[2]!.id}/reject`)).status).toBe(303);
    expect((await browser.post(`/rounds/${round.id}/nominations/${nominations[1]!.id}/edit`, { email: 'lou.b@example.com', name: 'Lou B', group: 'reports' })).status).toBe(303);
    expect((await browser.post(`/rounds/${round.id}/nominations/approve`)).status).toBe(303);
    const invitations = await context.db.selectFrom('invitations').select(['email', 'group_key']).where('round_id', '=', round.id).where('is_client', '=', 0).orderBy('position').execute();
    expect(invitations).toEqual([
      { email: 'kim@example.com', group_key: 'peers' },
      { email: 'lou.b@example.com', group_key: 'reports' },
    ]);
    await launch(context, coach, round.id);
    expect((await client.get(link)).status).toBe(404);
  });
});
