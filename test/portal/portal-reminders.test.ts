import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { sendDueReminders } from '../../server/jobs/round-schedule';
import { deliverDueMessages } from '../../server/mail/outbox.worker';
import { remindNow } from '../../server/rounds/invitations.service';
import { closeRound } from '../../server/rounds/rounds.service';
import { listInvitations } from '../../server/rounds/invitations.repository';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import { linkIn, recipientsOf, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { mailsTo, portalEntries, roundsSharingRaters } from './practice';

/** Reminders, automatic or sent by the coach, are one email per person and coach, listing what they still owe. */
describe.each(DATABASE_KINDS)('combined reminders (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;
  let rounds: Round[];
  let rater = '';
  let counter = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom), env: DEPLOYED_SURVEY_EMAIL_HOLD });
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });
  afterEach(async () => {
    // Closed, so the next test's reminder runs find only their own rounds open.
    for (const round of rounds) await closeRound(context.db, context.clock, coach.id, round.id);
    smtp.messages.length = 0;
    smtp.deliveries.clear();
  });

  /** Three launched rounds (deadlines as given) in which Robin is a peer beside one peer of each round's own; invitations delivered. */
  async function launched(deadlines: string[]): Promise<void> {
    counter += 1;
    context.clock.set('2026-03-02T09:00:00.000Z');
    coach = await createCoach(context, { name: 'Sam Carter' });
    rater = `robin.${counter}@northwind.example`;
    rounds = [];
    for (const [index, deadlineDay] of deadlines.entries()) {
      const clients = [{ clientName: `Client ${counter}-${index}`, clientEmail: `client.${counter}.${index}@northwind.example` }];
      rounds.push(...(await roundsSharingRaters(context, coach, [`${rater},Robin Shaw,peers`], { peers: 1 }, { clients, deadlineDay })));
    }
    for (const round of rounds) await launch(context, coach, round.id);
    context.clock.advanceMinutes(5);
    await deliverDueMessages(context.deps);
    await smtp.waitFor(1 + rounds.length * 2);
    smtp.messages.length = 0;
  }

  async function remindAndDeliver(at: string): Promise<number> {
    context.clock.set(at);
    const reminded = await sendDueReminders(context.db, mailContext(context.deps), [3, 1]);
    context.clock.advanceMinutes(5);
    await deliverDueMessages(context.deps);
    return reminded;
  }

  it('sends one automatic reminder listing every survey still owed, and nothing for what was answered', async () => {
    await launched(['2026-03-16', '2026-03-16', '2026-03-16']);
    // Robin, the round's own peer and the client in the first round; Robin is reminded already in the others.
    expect(await remindAndDeliver('2026-03-14T00:00:30.000Z')).toBe(3 + 2 + 2);
    await smtp.waitFor(7);
    expect(smtp.messages).toHaveLength(7);
    const [reminder, ...more] = mailsTo(smtp.messages, rater);
    expect(more).toEqual([]);
    expect(reminder!.subject).toBe('Reminder: 3 surveys for Sam Carter still open, the first due 16 Mar 2026');
    expect(reminder!.text).toContain('A friendly reminder from Sam Carter: you have 3 surveys still to answer.');
    expect(reminder!.text).not.toContain('(new)');
    // Each round's own peer and client get today's reminder of that round.
    const subjects = smtp.messages.filter((mail) => recipientsOf(mail)[0] !== rater).map((mail) => mail.subject);
    expect(subjects.filter((subject) => /^Reminder: feedback for Client .+ is due 16 Mar 2026$/.test(subject ?? ''))).toHaveLength(3);
    expect(subjects.filter((subject) => subject === 'Reminder: your self-assessment is due 16 Mar 2026')).toHaveLength(3);

    // Robin answers one from the page the reminder links to; the next reminder lists the two left.
    const page = linkIn(reminder!, '/p/');
    const [first] = portalEntries((await context.browser().get(page)).text);
    expect((await answerSurvey(context.browser(), first!.href!)).status).toBe(200);
    await deliverDueMessages(context.deps); // the thank-you
    await smtp.waitFor(8);
    smtp.messages.length = 0;
    await remindAndDeliver('2026-03-16T00:00:30.000Z');
    await smtp.waitFor(7);
    const [last, ...others] = mailsTo(smtp.messages, rater);
    expect(others).toEqual([]);
    expect(last!.subject).toBe('Reminder: 2 surveys for Sam Carter still open, the first due 16 Mar 2026');
    expect(last!.text).not.toContain(first!.heading);
  });

  it('reminds a person once a day per coach: a reminder that lists another round counts as that round\'s too', async () => {
    // Round 0's 3-day reminder and round 1's 1-day reminder fall on the same day; round 2 is due later.
    await launched(['2026-03-16', '2026-03-14', '2026-03-25']);
    await remindAndDeliver('2026-03-13T23:59:59.999Z');
    await smtp.waitFor(5);
    expect(smtp.messages).toHaveLength(5);
    const robins = mailsTo(smtp.messages, rater);
    expect(robins).toHaveLength(1);
    expect(robins[0]!.subject).toBe('Reminder: 3 surveys for Sam Carter still open, the first due 14 Mar 2026');
    for (const round of rounds) {
      const robin = (await listInvitations(context.db, round.id)).find((invitation) => invitation.email === rater)!;
      expect(robin.lastRemindedOn).toBe('2026-03-13');
    }
  });

  it('reminds from a round past its deadline that the scheduler has not closed yet, listing that survey as closed', async () => {
    await launched(['2026-03-05', '2026-03-16', '2026-03-16']);
    context.clock.set('2026-03-06T10:00:00.000Z');
    expect(await remindNow(context.db, mailContext(context.deps), coach.id, rounds[0]!.id)).toBe(3);
    context.clock.advanceMinutes(5);
    await deliverDueMessages(context.deps);
    await smtp.waitFor(3);
    const [reminder] = mailsTo(smtp.messages, rater);
    expect(reminder!.text).toMatch(/^1\. Feedback for Client .+\n {3}By 5 Mar 2026 · about 10 minutes · Closed$/m);
    expect(reminder!.subject).toBe('Reminder: 2 surveys for Sam Carter still open, the first due 16 Mar 2026');
    expect(reminder!.text).toContain('you have 2 surveys still to answer');
  });

  it('combines the coach\'s "Send a reminder now" on several rounds within the hold into one email', async () => {
    await launched(['2026-03-16', '2026-03-16', '2026-03-16']);
    context.clock.set('2026-03-05T10:00:00.000Z');
    const mail = mailContext(context.deps);
    expect(await remindNow(context.db, mail, coach.id, rounds[0]!.id)).toBe(3); // Robin, the round's peer, the client
    context.clock.advanceMinutes(2);
    expect(await remindNow(context.db, mail, coach.id, rounds[1]!.id)).toBe(3);
    context.clock.advanceMinutes(5);
    await deliverDueMessages(context.deps);
    await smtp.waitFor(5);
    const robins = mailsTo(smtp.messages, rater);
    expect(robins).toHaveLength(1);
    expect(robins[0]!.subject).toBe('Reminder: 3 surveys for Sam Carter still open, the first due 16 Mar 2026');
    expect(smtp.messages).toHaveLength(5);
  });
});
