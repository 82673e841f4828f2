import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../server/auth/auth.service';
import { QUESTIONNAIRE_FORMAT } from '../../server/questionnaires/questionnaire-definition';
import { DATABASE_KINDS } from '../helpers/databases';
import { concretePath } from '../helpers/everything';
import type { Page, TestBrowser } from '../helpers/http-client';
import { deliverOutbox, readEmlOutbox } from '../helpers/mail';
import { answerSurvey } from '../helpers/rounds';
import { coachRoutes } from '../helpers/route-list';
import { TEST_PASSWORD, createTestContext, type TestContext } from '../helpers/test-app';

/**
 * Script and HTML typed into every free-text field, through the forms a coach, a client and a
 * rater use, must come back escaped on every page and in every email that shows it. Each field
 * gets its own marker, so the test also proves that each payload was stored and shown somewhere.
 */
const RAW_MARKUP = /<script>alert\(|<img src=x onerror/;
const markers = new Set<string>();

/** The full payload (fields of 100+ characters). Single quotes, so it also survives CSV lines. */
function payload(marker: string): string {
  markers.add(marker);
  return `<script>alert('${marker}')</script><img src=x onerror=alert('${marker}')>`;
}

/** A short payload for short fields (group and scale labels). */
function shortPayload(marker: string): string {
  markers.add(marker);
  return `<script>alert('${marker}')</script>`;
}

describe.each(DATABASE_KINDS)('script typed anywhere comes back escaped everywhere (%s)', (kind) => {
  let context: TestContext;
  const shown: Array<{ where: string; html: string }> = [];

  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  /** Records an answer: HTML is kept for the checks; downloads must not be HTML. */
  function keep(where: string, page: Page): Page {
    expect(page.status, `${where}: ${page.text.slice(0, 300)}`).toBeLessThan(500);
    const type = page.headers.get('content-type') ?? '';
    if (type.startsWith('text/html')) shown.push({ where, html: page.text });
    else if (page.text) {
      expect(type, where).toMatch(/^(application\/json|text\/csv|text\/css|application\/javascript|text\/javascript|image\/svg)/);
      if (/json|csv/.test(type) && !where.includes('/s/')) expect(page.headers.get('content-disposition') ?? '', where).toMatch(/^attachment;/);
    }
    return page;
  }

  async function post(browser: TestBrowser, path: string, fields: Record<string, string>, expected = 303): Promise<Page> {
    const response = keep(`POST ${path}`, await browser.post(path, fields));
    expect(response.status, `POST ${path}: ${response.text.slice(0, 500)}`).toBe(expected);
    if (response.location?.startsWith('/')) keep(`after POST ${path}`, await browser.get(response.location));
    return response;
  }

  async function linkOf(kindOfMessage: string, filter: (row: { recipient: string }) => boolean = () => true): Promise<string> {
    const rows = await context.db.selectFrom('outbox').select(['action_url', 'recipient']).where('kind', '=', kindOfMessage).orderBy('created_at', 'desc').execute();
    const row = rows.find(filter);
    if (!row?.action_url) throw new Error(`No ${kindOfMessage} link`);
    return new URL(row.action_url).pathname;
  }

  it('stores a payload in every free-text field through the forms', async () => {
    const setup = await issueSetupToken(context.db, context.clock);
    const coach = context.browser();
    await post(coach, `/setup/${setup}`, { name: payload('coachname'), email: 'admin@example.com', password: TEST_PASSWORD });

    const engagement = await post(coach, '/engagements', {
      clientName: payload('clientname'),
      clientEmail: 'client@example.com',
      organisation: payload('organisation'),
      role: payload('role'),
      startDate: '2026-02-01',
      notes: payload('notes'),
      stage: 'assessment',
    });
    const engagementId = engagement.location!.split('/')[2]!;

    const document = {
      format: QUESTIONNAIRE_FORMAT,
      name: payload('qname'),
      description: payload('qdescription'),
      scale: { points: 5, labels: [1, 2, 3, 4, 5].map((point) => shortPayload(`scale${point}`)), naLabel: shortPayload('nalabel') },
      competencies: [
        { name: payload('competency1'), description: payload('competencydesc'), items: [{ text: payload('item1') }, { text: payload('item2') }] },
        { name: payload('competency2'), description: '', items: [{ text: payload('item3') }, { text: payload('item4') }] },
      ],
      openQuestions: [{ text: payload('openquestion') }],
    };
    const imported = await post(coach, '/questionnaires/import', { json: JSON.stringify(document) });
    const questionnaireId = imported.location!.split('/')[2]!;
    const definition = JSON.parse((await coach.get(`/questionnaires/${questionnaireId}/export`)).text) as { competencies: Array<{ id: string }>; openQuestions: Array<{ id: string }> };
    const questionId = definition.openQuestions[0]!.id;
    // The other way in: a new questionnaire, then the editor's fields.
    const created = await post(coach, '/questionnaires', { name: payload('newqname'), description: payload('newqdescription'), points: '5' });
    const createdId = created.location!.split('/')[2]!;
    await post(coach, `/questionnaires/${createdId}/edit`, {
      name: payload('editedqname'),
      description: payload('editedqdescription'),
      scalePoints: '5',
      scaleLabels: [1, 2, 3, 4, 5].map((point) => shortPayload(`editedscale${point}`)).join('\n'),
      naLabel: shortPayload('editedna'),
      'newCompetency.name': payload('editedcompetency'),
      'newCompetency.description': payload('editedcompdesc'),
      'newCompetency.items': `${payload('editeditem1')}\n${payload('editeditem2')}`,
      newQuestions: payload('editedquestion'),
      action: 'save',
    });
    keep('GET edited questionnaire', await coach.get(`/questionnaires/${createdId}`));
    keep('GET questionnaire editor', await coach.get(`/questionnaires/${createdId}/edit`));
    keep('new API token', await coach.post('/account/api-tokens', { name: payload('tokenname') }));

    const round = await post(coach, `/engagements/${engagementId}/rounds`, {
      questionnaireId,
      purpose: 'baseline',
      deadlineDay: '2026-03-16',
      message: payload('roundmessage'),
      k: '3',
      tau: '',
      'g.0.label': shortPayload('gself'),
      'g.1.label': shortPayload('gmanager'),
      'g.1.minimum': '1',
      'g.2.label': shortPayload('gpeers'),
      'g.2.minimum': '3',
      'g.2.anonymous': 'on',
      'g.3.label': shortPayload('greports'),
      'g.3.minimum': '3',
      'g.3.anonymous': 'on',
      'g.4.label': shortPayload('gothers'),
      'g.4.minimum': '3',
      'g.4.anonymous': 'on',
    });
    const roundId = round.location!.split('/')[2]!;
    await post(coach, `/rounds/${roundId}/raters`, { email: 'one@example.com', name: payload('raterone'), group: 'peers' });
    await post(coach, `/rounds/${roundId}/raters/import`, {
      list: [`two@example.com,${payload('ratertwo')},peers`, `four@example.com,${payload('raterfour')},peers`, `boss@example.com,${payload('boss')},manager`].join('\n'),
    });

    // The client suggests a rater through their private link; the coach approves.
    await post(coach, `/rounds/${roundId}/nomination`, {});
    const nomination = await linkOf('nomination-request');
    keep('GET nomination', await context.browser().get(nomination));
    keep('POST nomination', await context.browser().post(nomination, { list: `nominee@example.com,${payload('nominee')},peers` }));
    keep('GET nomination after', await context.browser().get(nomination));
    await post(coach, `/rounds/${roundId}/nominations/approve`, {});
    await post(coach, `/rounds/${roundId}/launch`, {});
    await deliverOutbox(context);

    // Raters answer with script in their comments; one saves a draft first; one declines.
    const links = await context.db.selectFrom('outbox').select(['action_url', 'recipient']).where('round_id', '=', roundId).where('kind', '=', 'survey-invitation').execute();
    const linkFor = (email: string) => new URL(links.find((row) => row.recipient === email)!.action_url!).pathname;
    const drafter = context.browser();
    keep('survey draft', await drafter.post(linkFor('one@example.com'), { intent: 'save', [`c.${questionId}`]: payload('draftcomment') }));
    keep('survey with draft', await drafter.get(linkFor('one@example.com')));
    for (const email of ['one@example.com', 'two@example.com', 'nominee@example.com', 'boss@example.com', 'client@example.com']) {
      const rater = context.browser();
      keep(`survey ${email}`, await answerSurvey(rater, linkFor(email), (_id, index) => (index % 5) + 1, { [questionId]: payload(`comment${email.split('@')[0]}`) }));
    }
    const decliner = context.browser();
    keep('decline page', await decliner.get(`${linkFor('four@example.com')}/decline`));
    keep('declined', await decliner.post(`${linkFor('four@example.com')}/decline`, { reason: payload('declinereason') }));

    await post(coach, `/rounds/${roundId}/close`, {});
    await post(coach, `/rounds/${roundId}/release`, { note: payload('releasenote') });
    keep('client report', await context.browser().get(await linkOf('report-release')));

    await post(coach, `/engagements/${engagementId}/focus-areas`, { ref: `competency:${definition.competencies[0]!.id}`, goal: payload('goal') });
    const focus = await context.db.selectFrom('focus_areas').select('id').where('engagement_id', '=', engagementId).executeTakeFirstOrThrow();
    await post(coach, `/engagements/${engagementId}/focus-areas/${focus.id}/actions`, { description: payload('actionstep'), dueOn: '', status: 'planned' });
    await post(coach, `/engagements/${engagementId}/closing-note`, { closingNote: payload('closingnote') });

    const pulse = await post(coach, `/engagements/${engagementId}/pulses`, { sinceDay: '2026-03-02', deadlineDay: '2026-03-20', message: payload('pulsemessage') });
    const pulseId = pulse.location!.split('/')[2]!;
    await post(coach, `/rounds/${pulseId}/launch`, {});
    const evaluation = await post(coach, `/rounds/${roundId}/rerun`, {});
    const evaluationId = evaluation.location!.split('/')[2]!;
    await post(coach, `/rounds/${evaluationId}/details`, { deadlineDay: '2026-03-20', message: payload('evaluationmessage') });
    await post(coach, `/rounds/${evaluationId}/launch`, {});
    await post(coach, `/rounds/${evaluationId}/remind`, {});

    await post(coach, '/coaches/invitations', { email: 'joiner@example.com' });
    const join = await linkOf('coach-invitation');
    const joiner = context.browser();
    keep('join page', await joiner.get(join));
    await post(joiner, join, { name: payload('joinername'), password: TEST_PASSWORD });
    await deliverOutbox(context);

    // Every coach page, for every object, and the pages raters and the client open.
    for (const route of coachRoutes(context.app).filter((candidate) => candidate.method === 'GET')) {
      for (const round of route.path.startsWith('/rounds/') ? [roundId, pulseId, evaluationId] : [roundId]) {
        const path = concretePath(route.path, { engagements: engagementId, questionnaires: questionnaireId, rounds: round });
        keep(`GET ${path}`, await coach.get(path));
      }
    }
    const open = await context.db.selectFrom('outbox').select(['action_url', 'round_id']).where('kind', '=', 'survey-invitation').where('round_id', 'in', [pulseId, evaluationId]).execute();
    for (const row of open) {
      const path = new URL(row.action_url!).pathname;
      keep(`survey ${path}`, await context.browser().get(path));
      keep(`decline ${path}`, await context.browser().get(`${path}/decline`));
    }
    keep('answered survey', await context.browser().get(linkFor('one@example.com')));
    expect(shown.length).toBeGreaterThan(60);
  }, 120_000);

  it('shows none of it as markup on any page or in any email, and each payload somewhere, escaped', async () => {
    const emails = await readEmlOutbox(context);
    // A person asked for several surveys at once gets one email listing them (server/portal), so fewer than one per invitation.
    expect(emails.length).toBeGreaterThan(10);
    const everything = [...shown, ...emails.map((mail) => ({ where: `email "${mail.subject}" to ${JSON.stringify(mail.to)}`, html: mail.html || '' }))];
    for (const { where, html } of everything) {
      const raw = RAW_MARKUP.exec(html);
      expect(raw && html.slice(Math.max(0, raw.index - 200), raw.index + 100), `${where} shows raw markup`).toBeNull();
    }
    const corpus = everything.map((entry) => entry.html).join('\n');
    const missing = [...markers].filter((marker) => !corpus.includes(marker));
    expect(missing, 'payloads never shown anywhere').toEqual([]);
    expect(corpus).toContain('&lt;script&gt;alert(&#x27;');
    expect(context.logger.errors).toEqual([]);
  });
});
