import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { invitationDeliveries } from '../../server/mail/outbox.service';
import { listInvitations } from '../../server/rounds/invitations.repository';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, recipientsOf, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { CLIENTS, MORGAN, ROBIN, mailsTo, portalEntries, roundsSharingRaters } from './practice';

/**
 * The "done means": a rater asked about three clients of one coach gets one email on a
 * real SMTP server and answers the three surveys from the one page it links to, over HTTP, each
 * stored as its own response; the coach's round pages follow each invitation as before.
 */
describe.each(DATABASE_KINDS)('a rater asked about three clients of one coach (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;
  let rounds: Round[];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom), env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context, { name: 'Sam Carter' });
    rounds = await roundsSharingRaters(context, coach, [`${MORGAN.email},${MORGAN.name},manager`, `${ROBIN.email},${ROBIN.name},peers`], { peers: 2, reports: 3 });
    // The coach launches the three rounds a minute apart.
    for (const round of rounds) {
      await launch(context, coach, round.id);
      context.clock.advanceMinutes(1);
    }
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });

  it('holds the invitations for the configured time, then sends one email to each person: one for all three surveys to the shared raters', async () => {
    expect(context.config.surveyEmailHoldSeconds).toBe(300);
    // Three minutes after the first launch, nothing is due yet.
    expect(await deliverOutbox(context)).toEqual({ sent: 0, retried: 0, failed: 0 });
    context.clock.advanceMinutes(2);
    // Five minutes after each launch, its invitations go; Robin's and Morgan's went with the first.
    expect((await deliverOutbox(context)).sent).toBe(6 + 2);
    context.clock.advanceMinutes(2);
    expect((await deliverOutbox(context)).sent).toBe(6 + 6);
    await smtp.waitFor(20);
    expect(smtp.messages).toHaveLength(20);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(mailsTo(smtp.messages, ROBIN.email)).toHaveLength(1);
    expect(mailsTo(smtp.messages, MORGAN.email)).toHaveLength(1);
    for (const client of CLIENTS) expect(mailsTo(smtp.messages, client.clientEmail)).toHaveLength(1);
    // Someone asked about one client keeps today's email, with the survey's own link.
    const single = smtp.messages.find((mail) => recipientsOf(mail)[0]!.startsWith('reports-1-'))!;
    expect(single.subject).toMatch(/^Feedback for (Jordan Lee|Alex Kim|Priya Nair): please respond by 16 Mar 2026$/);
    expect(linkIn(single, '/s/')).toMatch(/^\/s\//);
  });

  it('lists the three surveys in the email, in words and in HTML, with one personal link and no survey link', async () => {
    const [mail] = mailsTo(smtp.messages, ROBIN.email) as [ParsedMail];
    expect(mail.subject).toBe('Feedback requests from Sam Carter: 3 surveys, the first due 16 Mar 2026');
    const text = mail.text ?? '';
    for (const client of CLIENTS) expect(text).toContain(`Feedback for ${client.clientName}, as one of their peers (new)`);
    expect(text).toContain('Confidential: your ratings are only shown combined with those of at least 2 other people');
    expect(text).toContain('"Thank you for helping Priya grow." – Sam Carter');
    expect(text.match(/\/p\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
    expect(text).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    const html = mail.html || '';
    expect(html).toContain('Feedback for Alex Kim</strong>, as one of their peers');
    expect(html).toContain(`href="${context.config.publicUrl}${linkIn(mail, '/p/')}"`);
    expect(html).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    // The manager is told, survey by survey, that their answers are not anonymous.
    const [managerMail] = mailsTo(smtp.messages, MORGAN.email) as [ParsedMail];
    expect(managerMail.text).toContain('Feedback for Jordan Lee, as their manager (new)');
    expect(managerMail.text).toContain("Not anonymous: as their manager, your answers are shown as the manager's answers");
  });

  it('lets the rater answer all three from the one page, with drafts, and shows where each stands', async () => {
    const browser = context.browser();
    const portal = linkIn(mailsTo(smtp.messages, ROBIN.email)[0]!, '/p/');
    const first = await browser.get(portal);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.text).toContain('Your feedback surveys for Sam Carter');
    const entries = portalEntries(first.text);
    expect(entries.map((entry) => entry.heading).sort()).toEqual(CLIENTS.map((client) => `Feedback for ${client.clientName}`).sort());
    expect(entries.every((entry) => entry.progress === 'not-started' && entry.href && entry.text.includes('By 16 Mar 2026') && entry.text.includes('You answer as one of their peers.'))).toBe(true);
    expect(first.text).toContain('0 of 3 answered');

    // A draft on the second survey shows on the page.
    expect((await answerSurvey(browser, entries[1]!.href!, () => 2, {}, 'save')).status).toBe(200);
    expect(portalEntries((await browser.get(portal)).text).map((entry) => entry.progress)).toEqual(['not-started', 'draft', 'not-started']);

    for (const [index, entry] of entries.entries()) {
      const response = await answerSurvey(browser, entry.href!, (_item, item) => ((item + index) % 5) + 1, { q1: `Robin on ${entry.heading}` });
      expect(response.status).toBe(200);
      expect(response.text).toContain('Thank you');
    }
    const after = await browser.get(portal);
    expect(portalEntries(after.text).map((entry) => [entry.progress, entry.href])).toEqual([
      ['submitted', null],
      ['submitted', null],
      ['submitted', null],
    ]);
    expect(after.text).toContain('3 of 3 answered');
    // Each survey is its own response in its own round.
    for (const round of rounds) {
      const mine = await context.db.selectFrom('responses').select('answers').where('round_id', '=', round.id).execute();
      expect(mine.filter((row) => row.answers.includes('Robin on'))).toHaveLength(1);
    }
  });

  it('declines from the page as from an email, and the page says so', async () => {
    const browser = context.browser();
    const portal = linkIn(mailsTo(smtp.messages, MORGAN.email)[0]!, '/p/');
    const [entry] = portalEntries((await browser.get(portal)).text);
    expect((await browser.get(`${entry!.href}/decline`)).status).toBe(200);
    expect((await browser.post(`${entry!.href}/decline`, { reason: 'I joined the team last week.' })).status).toBe(200);
    expect(portalEntries((await browser.get(portal)).text).map((found) => found.progress)).toEqual(['declined', 'not-started', 'not-started']);
  });

  it('shows the coach each invitation as before: answered, declined, and its email delivered', async () => {
    for (const round of rounds) {
      const invitations = await listInvitations(context.db, round.id);
      const deliveries = await invitationDeliveries(context.db, round.id, invitations.map((invitation) => invitation.id));
      expect(invitations.every((invitation) => deliveries.get(invitation.id)?.state === 'delivered')).toBe(true);
      expect(invitations.find((invitation) => invitation.email === ROBIN.email)?.status).toBe('completed');
    }
    const morgan = await Promise.all(rounds.map(async (round) => (await listInvitations(context.db, round.id)).find((invitation) => invitation.email === MORGAN.email)!.status));
    expect(morgan.filter((status) => status === 'declined')).toHaveLength(1);
  });
});
