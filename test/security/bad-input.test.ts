import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { issueSetupToken } from '../../server/auth/auth.service';
import { inviteCoach } from '../../server/coaches/coaches.service';
import { createEngagement } from '../../server/engagements/engagements.service';
import { mailContext } from '../../server/http/mail-context';
import { copyQuestionnaire } from '../../server/questionnaires/questionnaires.service';
import { newSecretToken } from '../../server/secrets';
import { deliverOutbox, linkIn, readEmlOutbox } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { DATABASE_KINDS } from '../helpers/databases';
import { probeForm, type FormProbe } from '../helpers/hostile';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

const TABLES = ['coaches', 'sessions', 'engagements', 'engagement_stages', 'questionnaires', 'coach_invitations', 'outbox', 'setup_tokens', 'rounds', 'rater_groups', 'invitations', 'invitation_tokens', 'drafts', 'responses', 'nominations', 'report_releases', 'focus_areas', 'action_steps'];

describe.each(DATABASE_KINDS)('hostile and malformed input on every form (%s)', (kind) => {
  let context: TestContext;
  let admin: Coach;
  let browser: TestBrowser;
  let engagementId: string;
  let questionnaireId: string;
  let draftRoundId: string;
  let openRoundId: string;
  let surveyPath: string;
  let nominationPath: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    admin = await createCoach(context, { isAdmin: true });
    browser = await signedInBrowser(context, admin);
    engagementId = (
      await createEngagement(context.db, context.clock, admin.id, {
        clientName: 'Dana Scully',
        clientEmail: 'dana@example.com',
        organisation: 'FBI',
        role: 'Agent',
        startDate: '2026-01-01',
        notes: '',
        stage: 'contracting',
      })
    ).id;
    questionnaireId = (await copyQuestionnaire(context.db, context.clock, admin.id, 'leadership-360')).id;
    draftRoundId = (await createRoundWithRaters(context, admin, { peers: 3 })).round.id;
    openRoundId = (await createRoundWithRaters(context, admin, { peers: 3 })).round.id;
    await launch(context, admin, openRoundId);
    await deliverOutbox(context);
    surveyPath = linkIn((await readEmlOutbox(context)).find((mail) => (mail.text ?? '').includes('/s/'))!, '/s/');
    const nomination = newSecretToken();
    await context.db.updateTable('rounds').set({ nomination_token_hash: nomination.hash }).where('id', '=', draftRoundId).execute();
    nominationPath = `/n/${nomination.token}`;
  }, 60_000);
  afterAll(() => context.close());

  const engagementFields = {
    clientName: 'Fox Mulder',
    clientEmail: 'fox@example.com',
    organisation: 'FBI',
    role: 'Agent',
    startDate: '2026-01-01',
    notes: 'notes',
  };

  const coachForms = (): FormProbe[] => [
    { name: 'new engagement', path: () => '/engagements', valid: { ...engagementFields, stage: 'assessment' }, pagesToCheck: () => ['/engagements'] },
    { name: 'edit engagement', path: () => `/engagements/${engagementId}/edit`, valid: engagementFields, pagesToCheck: () => [`/engagements/${engagementId}`] },
    { name: 'engagement stage', path: () => `/engagements/${engagementId}/stage`, valid: { stage: 'rapport', enteredOn: '2026-01-02' } },
    { name: 'new questionnaire', path: () => '/questionnaires', valid: { name: 'Q', description: 'd', points: '5' }, pagesToCheck: () => ['/questionnaires'] },
    {
      name: 'questionnaire editor',
      path: () => `/questionnaires/${questionnaireId}/edit`,
      valid: { name: 'Q', description: '', scalePoints: '5', scaleLabels: 'a\nb\nc\nd\ne', naLabel: 'N/A', 'c.0.id': 'c1', 'c.0.name': 'Listening', 'c.0.description': '', 'c.0.i.0.id': 'i1', 'c.0.i.0.text': 'Listens.', 'q.0.text': 'Open?', action: 'save' },
      skip: ['c.0.id', 'c.0.i.0.id'],
      pagesToCheck: () => [`/questionnaires/${questionnaireId}`, `/questionnaires/${questionnaireId}/edit`],
    },
    { name: 'import questionnaire', path: () => '/questionnaires/import', valid: { json: '{}' } },
    { name: 'invite coach', path: () => '/coaches/invitations', valid: { email: 'new.coach@example.com' }, pagesToCheck: () => ['/coaches'] },
    { name: 'change password', path: () => '/account/password', valid: { currentPassword: 'wrong', newPassword: 'another long password', confirmPassword: 'another long password' } },
    {
      name: 'round settings',
      path: () => `/rounds/${draftRoundId}/edit`,
      valid: { questionnaireId: 'leadership-360', purpose: 'baseline', deadlineDay: '2026-04-01', message: 'm', k: '3', tau: '', 'g.0.label': 'Self', 'g.1.label': 'Manager', 'g.1.minimum': '1', 'g.2.label': 'Peers', 'g.2.minimum': '3', 'g.2.anonymous': 'on', 'g.3.label': 'Reports', 'g.3.minimum': '3', 'g.3.anonymous': 'on', 'g.4.label': 'Others', 'g.4.minimum': '3', 'g.4.anonymous': 'on' },
      pagesToCheck: () => [`/rounds/${draftRoundId}`, `/rounds/${draftRoundId}/edit`],
    },
    { name: 'add rater', path: () => `/rounds/${draftRoundId}/raters`, valid: { email: 'one.more@example.com', name: 'One More', group: 'peers' }, pagesToCheck: () => [`/rounds/${draftRoundId}`] },
    { name: 'rater list', path: () => `/rounds/${draftRoundId}/raters/import`, valid: { list: 'listed@example.com,Listed,peers' }, pagesToCheck: () => [`/rounds/${draftRoundId}`] },
    { name: 'round deadline', path: () => `/rounds/${openRoundId}/deadline`, valid: { deadlineDay: '2026-04-02' } },
    { name: 'report release', path: () => `/rounds/${openRoundId}/release`, valid: { note: 'Debrief note' }, pagesToCheck: () => [`/rounds/${openRoundId}/report`] },
    { name: 'focus area', path: () => `/engagements/${engagementId}/focus-areas`, valid: { ref: 'competency:c1', goal: 'A goal' }, pagesToCheck: () => [`/engagements/${engagementId}/plan`] },
    { name: 'new pulse', path: () => `/engagements/${engagementId}/pulses`, valid: { sinceDay: '2026-03-01', deadlineDay: '2026-03-20', message: 'm' } },
    { name: 'round details', path: () => `/rounds/${draftRoundId}/details`, valid: { deadlineDay: '2026-04-01', message: 'm' } },
    { name: 'closing note', path: () => `/engagements/${engagementId}/closing-note`, valid: { closingNote: 'A note' }, pagesToCheck: () => [`/engagements/${engagementId}/summary`] },
  ];

  it('never answers 500, refuses malformed values without changing anything, and escapes what it shows', async () => {
    let requests = 0;
    for (const probe of coachForms()) requests += await probeForm(context, browser, probe, TABLES);
    expect(requests).toBeGreaterThan(300);
    expect(context.logger.errors).toEqual([]);
  }, 240_000);

  it('handles the public forms the same way', async () => {
    const setupToken = await issueSetupToken(context.db, context.clock); // null: an account exists
    expect(setupToken).toBeNull();
    const invitation = await inviteCoach(context.db, mailContext(context.deps), admin, 'invitee@example.com');
    expect(invitation.id).toBeTruthy();
    const anonymous = context.browser();
    const publicForms: FormProbe[] = [
      { name: 'login', path: () => '/login', valid: { email: 'someone@example.com', password: 'whatever password', next: '/' } },
      { name: 'setup (no longer available)', path: () => `/setup/${newSecretToken().token}`, valid: { name: 'N', email: 'n@example.com', password: 'a long password' } },
      { name: 'join with an unknown token', path: () => `/join/${newSecretToken().token}`, valid: { name: 'N', password: 'a long password' } },
      { name: 'client nomination', path: () => nominationPath, valid: { list: 'friend@example.com,Friend,peers' } },
      { name: 'survey draft', path: () => surveyPath, valid: { intent: 'save', 'r.c1i1': '3', 'c.q1': 'A comment' } },
      { name: 'survey decline', path: () => `${surveyPath}/decline`, valid: { reason: 'Busy' } },
    ];
    const tables = TABLES.filter((table) => table !== 'sessions');
    for (const probe of publicForms) await probeForm(context, anonymous, probe, tables);
    expect(context.logger.errors).toEqual([]);
  }, 120_000);

  it('answers malformed requests (wrong content type, broken multipart, odd paths) with a 4xx', async () => {
    const token = await browser.csrfToken();
    const cases: Array<[string, RequestInit]> = [
      ['/engagements', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-csrf-token': token }, body: '{"clientName":1}' }],
      ['/engagements', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz', origin: 'http://localhost:3000' }, body: '--xyz\r\nbroken' }],
      ['/engagements', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' }, body: `_csrf=${token}&clientName=%E0%A4%A` }],
      ['/engagements/%00', { method: 'GET' }],
      ['/engagements/' + 'a'.repeat(5000), { method: 'GET' }],
      ['/questionnaires/..%2F..%2Fetc%2Fpasswd', { method: 'GET' }],
      ['/static/..%2Fpackage.json', { method: 'GET' }],
    ];
    for (const [path, init] of cases) {
      const response = await browser.request(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect(context.logger.errors).toEqual([]);
  });
});
