import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import { eraseExpiredRaterData } from '../../server/privacy/privacy.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch, surveyItemIds } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('privacy: the notice, retention and one person\'s data (%s)', (kind) => {
  let context: TestContext;
  let admin: Coach;
  let coach: Coach;
  let roundId: string;
  let engagementId: string;
  let links: Map<string, string>;

  beforeAll(async () => {
    context = await createTestContext(kind);
    admin = await createCoach(context, { email: 'admin@example.com', isAdmin: true });
    coach = await createCoach(context, { email: 'kim.coach@example.com', name: 'Kim Coach' });
    const created = await createRoundWithRaters(context, coach, { manager: 1, peers: 3 });
    roundId = created.round.id;
    engagementId = created.engagement.id;
    // names of their own, so the bytes of the file can be searched for them
    for (const invitation of await context.db.selectFrom('invitations').select(['id', 'email']).where('round_id', '=', roundId).where('is_client', '=', 0).execute()) {
      await context.db.updateTable('invitations').set({ name: `Name ${invitation.email.split('@')[0]}` }).where('id', '=', invitation.id).execute();
    }
    await launch(context, coach, roundId);
    await deliverOutbox(context);
    links = new Map((await readEmlOutbox(context)).map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
  });
  afterAll(() => context.close());

  const linkOf = (prefix: string) => [...links].find(([email]) => email.startsWith(prefix))![1];

  it('shows a built-in notice to anyone, linked from every invitation, that says what the server does', async () => {
    const notice = await context.browser().get('/privacy');
    expect(notice.status).toBe(200);
    expect(notice.text).toContain('How your answers are used');
    expect(notice.text).toContain('erased 365 days after the coaching engagement is archived');
    const invitation = (await readEmlOutbox(context)).find((mail) => recipientsOf(mail)[0]!.startsWith('peers-1'))!;
    expect(invitation.text).toContain(`How your answers are used: ${context.config.publicUrl}/privacy`);
    expect(invitation.html).toContain('/privacy"');
  });

  it('shows the built-in notice in the reader\'s language, with the server\'s retention in it', async () => {
    const french = await context.browser().get('/privacy?lang=fr');
    expect(french.text).toContain('<html lang="fr">');
    expect(french.text).toContain('<h1>Comment vos réponses sont utilisées</h1>');
    expect(french.text).toContain('effacés 365 jours après l&#x27;archivage');
    const german = await context.browser().get('/privacy?lang=de');
    expect(german.text).toContain('365 Tage nach der Archivierung');
    // An unknown language is English, not an error.
    expect((await context.browser().get('/privacy?lang=xx')).text).toContain('<h1>How your answers are used</h1>');
  });

  it('lets every coach preview the notice, and only the administrator change it, as a new version', async () => {
    const coachBrowser = await signedInBrowser(context, coach);
    const preview = await coachBrowser.get('/privacy-admin/notice');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('The administrator of this installation can change the notice.');
    expect((await coachBrowser.post('/privacy-admin/notice', { text: 'A notice written by someone who may not write it, long enough to pass.' })).status).toBe(403);
    const adminBrowser = await signedInBrowser(context, admin);
    expect((await adminBrowser.post('/privacy-admin/notice', { text: 'Too short.' })).status).toBe(422);
    const text = 'Northwind Coaching keeps your address until the engagement ends.\n\nAsk Kim Coach (kim.coach@example.com) for a copy or erasure.';
    expect((await adminBrowser.post('/privacy-admin/notice', { text })).status).toBe(303);
    const page = await context.browser().get('/privacy');
    expect(page.text).toContain('<p>Northwind Coaching keeps your address until the engagement ends.</p>');
    expect(page.text).toContain('Version 1,');
  });

  it('asks the rater to confirm the notice before their answers are submitted, and records which version, by the day', async () => {
    const browser = context.browser();
    const page = await browser.get(linkOf('peers-1'));
    expect(page.text).toContain('name="notice"');
    expect(page.text).toContain('href="/privacy"');
    const fields: Record<string, string> = { intent: 'submit' };
    for (const id of surveyItemIds(page.text)) fields[`r.${id}`] = '4';
    const refused = await browser.post(linkOf('peers-1'), fields);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Please confirm that you have read how your answers are used.');
    expect(refused.text).toContain('href="#notice"');
    const accepted = await browser.post(linkOf('peers-1'), { ...fields, notice: 'read' });
    expect(accepted.status).toBe(200);
    const invitation = await context.db.selectFrom('invitations').select(['notice_version', 'notice_read_on']).where('round_id', '=', roundId).where('email', 'like', 'peers-1%').executeTakeFirstOrThrow();
    expect(Number(invitation.notice_version)).toBe(1);
    expect(invitation.notice_read_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('erases the raters\' personal data of an engagement archived RETENTION_DAYS ago, once, and none of it is left in the file', async () => {
    await answerSurvey(context.browser(), linkOf('peers-2'), () => 3);
    await context.browser().post(`${linkOf('peers-3')}/decline`, { reason: 'I have never worked with Jordan, sorry' });
    await answerSurvey(context.browser(), linkOf('manager-1'), () => 4, { q1: 'Saved, not sent' }, 'save');
    const browser = await signedInBrowser(context, coach);
    // A second engagement that stays active: nothing of it may be touched.
    const other = await createRoundWithRaters(context, coach, { peers: 3 }, { message: 'another' });
    await launch(context, coach, other.round.id);
    expect((await browser.post(`/engagements/${engagementId}/archive`)).status).toBe(303);

    context.clock.advanceDays(364);
    expect(await eraseExpiredRaterData(context.db, context.clock, 365)).toEqual({ engagements: 0, invitations: 0, nominations: 0, messages: 0 });
    context.clock.advanceDays(2);
    const tally = await eraseExpiredRaterData(context.db, context.clock, 365);
    expect(tally).toMatchObject({ engagements: 1, invitations: 5 });
    expect(tally.messages).toBeGreaterThan(0);
    expect(await eraseExpiredRaterData(context.db, context.clock, 365)).toEqual({ engagements: 0, invitations: 0, nominations: 0, messages: 0 });

    const invitations = await context.db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).execute();
    expect(invitations.every((row) => row.email.startsWith('erased-') && row.name === '' && row.decline_reason === null)).toBe(true);
    expect(invitations.map((row) => row.status).sort()).toEqual(['completed', 'completed', 'declined', 'invited', 'opened'].sort());
    expect(await context.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
    expect((await context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).execute()).length).toBe(2);
    const untouched = await context.db.selectFrom('invitations').select('email').where('round_id', '=', other.round.id).execute();
    expect(untouched.every((row) => !row.email.startsWith('erased-'))).toBe(true);

    if (context.kind === 'sqlite' && context.database.location.kind === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(context.db);
      const bytes = fs.readFileSync(context.database.location.file);
      for (const address of [...links.keys()].filter((email) => !email.startsWith('jordan'))) expect(bytes.includes(address), address).toBe(false);
      for (const address of [...links.keys()].filter((email) => !email.startsWith('jordan'))) expect(bytes.includes(`Name ${address.split('@')[0]}`), address).toBe(false);
      expect(bytes.includes('I have never worked with Jordan')).toBe(false);
      expect(bytes.includes('Saved, not sent')).toBe(false);
    }
  });

  it('finds, exports and erases everything held about one address; a second search finds nothing', async () => {
    // someone who is a rater of two coaches and was suggested once
    const second = await createCoach(context, { email: 'second.coach@example.com' });
    const person = 'pat.person@example.com';
    const deadlineDay = dayOf(addDays(context.clock.now(), 14));
    const first = await createRoundWithRaters(context, coach, {}, { deadlineDay });
    const adminBrowser = await signedInBrowser(context, admin);
    for (const [owner, round] of [[coach, first.round], [second, (await createRoundWithRaters(context, second, {}, { deadlineDay })).round]] as const) {
      const browser = await signedInBrowser(context, owner);
      expect((await browser.post(`/rounds/${round.id}/raters`, { email: person, name: 'Pat Person', group: 'peers' })).status).toBe(303);
      await launch(context, owner, round.id);
    }
    await deliverOutbox(context);
    const patLinks = (await readEmlOutbox(context)).filter((mail) => recipientsOf(mail)[0] === person).map((mail) => linkIn(mail, '/s/'));
    await context.browser().post(`${patLinks[0]}/decline`, { reason: 'Pat would rather not' });

    const found = await adminBrowser.get(`/privacy-admin/people?email=${encodeURIComponent('Pat.Person@example.com')}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('Held about pat.person@example.com');
    expect(found.text).toContain('Pat would rather not');
    expect(found.text).toContain('cannot be found, exported or erased by email address');
    const exported = await adminBrowser.get(`/privacy-admin/people/export?email=${encodeURIComponent(person)}`);
    const body = JSON.parse(exported.text) as { invitations: Array<{ coachName: string; declineReason: string | null }>; messages: unknown[]; notFindable: string };
    expect(body.invitations).toHaveLength(2);
    expect(body.invitations.map((row) => row.declineReason)).toContain('Pat would rather not');
    expect(body.messages.length).toBeGreaterThanOrEqual(2);
    expect(body.notFindable).toContain('stored without any link');
    expect(exported.text).not.toMatch(/token_hash|password/);

    expect((await adminBrowser.post('/privacy-admin/people/erase', { email: person })).status).toBe(422); // not confirmed
    const erased = await adminBrowser.post('/privacy-admin/people/erase', { email: person, confirm: 'erase' });
    expect(erased.status).toBe(303);
    const again = await adminBrowser.get(`/privacy-admin/people?email=${encodeURIComponent(person)}`);
    expect(again.text).toContain(`Nothing is held about ${person}`);
    for (const link of patLinks) expect((await context.browser().get(link)).status).toBe(404);

    // a client: their engagements go, with everything in them; a coach: the account goes; never one's own
    const client = await adminBrowser.post('/privacy-admin/people/erase', { email: 'jordan.lee@example.com', confirm: 'erase' });
    expect(client.status).toBe(303);
    expect(await context.db.selectFrom('engagements').select('id').where('client_email', '=', 'jordan.lee@example.com').execute()).toEqual([]);
    expect((await adminBrowser.post('/privacy-admin/people/erase', { email: 'second.coach@example.com', confirm: 'erase' })).status).toBe(303);
    expect(await context.db.selectFrom('coaches').select('id').where('email', '=', 'second.coach@example.com').execute()).toEqual([]);
    expect((await adminBrowser.post('/privacy-admin/people/erase', { email: 'admin@example.com', confirm: 'erase' })).status).toBe(422);
    // only the administrator
    expect((await (await signedInBrowser(context, coach)).get(`/privacy-admin/people?email=${encodeURIComponent(person)}`)).status).toBe(403);
  });
});
