import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { claimDueMessages, deleteUnsentRoundMessages } from '../../server/mail/outbox.repository';
import { DEFAULT_DELIVERY_POLICY, deliverDueMessages } from '../../server/mail/outbox.worker';
import { invitationDeliveries } from '../../server/mail/outbox.service';
import { addRaterList } from '../../server/rounds/invitations.service';
import { listInvitations } from '../../server/rounds/invitations.repository';
import type { Round } from '../../server/rounds/rounds.types';
import { hashToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import { linkIn, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { mailsTo, portalEntries, roundsSharingRaters } from './practice';

/**
 * The batching rule, with the clock in the test's hands: survey emails wait SURVEY_EMAIL_HOLD_SECONDS
 * (300 s by default); those queued for the same person by the same coach before the first of them
 * has been handed to a worker go as that first one, at its time. Once a worker holds it (sending,
 * or tried and deferred) nothing joins it, so no email is sent under two contents and none is lost.
 */
describe.each(DATABASE_KINDS)('survey emails to one person, queued within the hold (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;
  let rater = '';
  let rounds: Round[];
  let counter = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom, { socketTimeout: 1500 }), env: DEPLOYED_SURVEY_EMAIL_HOLD });
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });
  afterEach(async () => {
    smtp.mode = 'accept';
    context.clock.advanceDays(1);
    await deliverDueMessages(context.deps);
    smtp.messages.length = 0;
    smtp.deliveries.clear();
  });

  /** A new coach with three draft rounds (three clients) in which the same new person is a peer. */
  async function threeRounds(): Promise<void> {
    counter += 1;
    coach = await createCoach(context);
    rater = `robin.${counter}@northwind.example`;
    rounds = await roundsSharingRaters(context, coach, [`${rater},Robin Shaw,peers`], {});
  }

  const deliver = () => deliverDueMessages(context.deps);
  const robinsMail = () => mailsTo(smtp.messages, rater);

  async function robinsOutbox() {
    return context.db.selectFrom('outbox').select(['id', 'status', 'attempts', 'next_attempt_at', 'carrier_id', 'message', 'invitation_id']).where('recipient', '=', rater).execute();
  }

  it('combines the emails queued before the first one goes, and sends them at the first one\'s time', async () => {
    await threeRounds();
    const start = context.clock.now().getTime();
    await launch(context, coach, rounds[0]!.id);
    context.clock.advanceMinutes(4.9);
    await launch(context, coach, rounds[1]!.id);
    expect(await deliver()).toEqual({ sent: 0, retried: 0, failed: 0 });
    const waiting = await robinsOutbox();
    expect(waiting).toHaveLength(2);
    const carrier = waiting.find((row) => row.carrier_id === null)!;
    expect(waiting.find((row) => row.carrier_id !== null)!.carrier_id).toBe(carrier.id);
    // The first invitation waits the hold and no longer, whoever joins it.
    expect(new Date(carrier.next_attempt_at).getTime() - start).toBe(300_000);

    context.clock.set(new Date(start + 300_000));
    expect(await deliver()).toEqual({ sent: 2, retried: 0, failed: 0 }); // Robin's and the first client's
    await smtp.waitFor(2);
    expect(robinsMail()).toHaveLength(1);
    expect(robinsMail()[0]!.subject).toMatch(/: 2 surveys, the first due/);

    // Once the first has gone, a new survey comes in an email of its own, which lists what is still owed.
    await launch(context, coach, rounds[2]!.id);
    context.clock.advanceMinutes(5);
    await deliver();
    await smtp.waitFor(5);
    expect(robinsMail()).toHaveLength(2);
    const second = robinsMail()[1]!.text ?? '';
    expect(second.match(/\(new\)/g)).toHaveLength(1);
    expect(second).toMatch(/^1\. Feedback for .+$/m);
    expect(second).toMatch(/^3\. Feedback for .+$/m);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
  });

  it('gives a rewritten email a new link: the link of the version that never went does not open', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    await launch(context, coach, rounds[1]!.id);
    const before = JSON.parse((await robinsOutbox()).find((row) => row.carrier_id === null)!.message!) as { text: string };
    const unsentLink = new URL(/https?:\/\/\S+\/p\/[A-Za-z0-9_-]{43}/.exec(before.text)![0]).pathname;
    expect((await context.browser().get(unsentLink)).status).toBe(200);
    await launch(context, coach, rounds[2]!.id);
    context.clock.advanceMinutes(5);
    await deliver();
    await smtp.waitFor(4);
    const sentLink = linkIn(robinsMail()[0]!, '/p/');
    expect(sentLink).not.toBe(unsentLink);
    const stale = await context.browser().get(unsentLink);
    expect(stale.status).toBe(404);
    expect(stale.text).toContain('This link to your surveys does not work');
    expect(portalEntries((await context.browser().get(sentLink)).text)).toHaveLength(3);
  });

  it('joins two emails that raced to carry for the same person (two launches at once) into one', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    await launch(context, coach, rounds[1]!.id);
    // As if the second launch had not seen the first one's email: two waiting emails, each on its own.
    await context.db.updateTable('outbox').set({ carrier_id: null }).where('recipient', '=', rater).execute();
    await launch(context, coach, rounds[2]!.id);
    expect((await robinsOutbox()).filter((row) => row.carrier_id === null)).toHaveLength(1);
    context.clock.advanceMinutes(5);
    expect(await deliver()).toEqual({ sent: 4, retried: 0, failed: 0 }); // Robin's one, the three clients'
    await smtp.waitFor(4);
    expect(robinsMail()).toHaveLength(1);
    expect(robinsMail()[0]!.subject).toMatch(/: 3 surveys, the first due/);
    expect(portalEntries((await context.browser().get(linkIn(robinsMail()[0]!, '/p/'))).text)).toHaveLength(3);
  });

  it('takes nothing into an email a worker has claimed: the new survey goes in its own email, and each is sent once', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    context.clock.advanceMinutes(5);
    // A worker claims Robin's email and is about to send it (or died doing so).
    const claimed = await claimDueMessages(context.db, context.kind, { now: context.clock.now().toISOString(), leaseUntil: new Date(context.clock.now().getTime() + 660_000).toISOString(), limit: 50 });
    expect(claimed.map((entry) => entry.recipient)).toContain(rater);
    await launch(context, coach, rounds[1]!.id);
    const rows = await robinsOutbox();
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.carrier_id === null)).toBe(true);
    // The claim runs out (the worker died), and the message is taken over and sent, with the new one.
    context.clock.advanceMinutes(12);
    await deliver();
    await smtp.waitFor(4);
    expect(robinsMail()).toHaveLength(2);
    const subjects = robinsMail().map((mail: ParsedMail) => mail.subject ?? '');
    // The claimed one as it was queued (one survey, its own link); the new one lists both.
    expect(subjects.filter((subject) => /^Feedback for .+: please respond by /.test(subject))).toHaveLength(1);
    expect(subjects.filter((subject) => /^Feedback requests from .+: 2 surveys, the first due /.test(subject))).toHaveLength(1);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
  });

  it('keeps what a deferred email carries, shows its riders deferred too, and lets nothing join it after its first try', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    await launch(context, coach, rounds[1]!.id);
    context.clock.advanceMinutes(5);
    smtp.mode = 'temporary';
    expect((await deliver()).retried).toBe(3); // Robin's, and the two clients' self-assessments
    const riderInvitation = (await listInvitations(context.db, rounds[1]!.id)).find((invitation) => invitation.email === rater)!;
    const deferred = (await invitationDeliveries(context.db, rounds[1]!.id, [riderInvitation.id])).get(riderInvitation.id)!;
    expect(deferred).toMatchObject({ state: 'deferred', attempts: 1 });
    expect(deferred.lastAnswer).toContain('451');
    expect(deferred.nextAttemptAt).not.toBeNull();

    await launch(context, coach, rounds[2]!.id);
    expect((await robinsOutbox()).filter((row) => row.carrier_id === null)).toHaveLength(2);
    smtp.mode = 'accept';
    context.clock.advanceMinutes(5);
    await deliver();
    await smtp.waitFor(5);
    expect(robinsMail()).toHaveLength(2);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
    const delivered = (await invitationDeliveries(context.db, rounds[1]!.id, [riderInvitation.id])).get(riderInvitation.id)!;
    expect(delivered.state).toBe('delivered');
  });

  it('sends a rider on its own when the email it travelled in is deleted before it went: no invitation is lost', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    await launch(context, coach, rounds[1]!.id);
    expect(await deleteUnsentRoundMessages(context.db, rounds[0]!.id)).toBe(2); // Robin's carrier and the client's
    context.clock.advanceMinutes(5);
    await deliver();
    await smtp.waitFor(2);
    expect(robinsMail()).toHaveLength(1);
    const alone = robinsMail()[0]!;
    expect(alone.subject).toMatch(/^Feedback for .+: please respond by /);
    expect((await answerSurvey(context.browser(), linkIn(alone, '/s/'))).status).toBe(200);
  });

  it('invites a rater added late within the hold, in one email with what they still owe', async () => {
    await threeRounds();
    await launch(context, coach, rounds[0]!.id);
    context.clock.advanceMinutes(5);
    await deliver();
    const late = `late.${counter}@northwind.example`;
    await launch(context, coach, rounds[1]!.id);
    // Added to both open rounds one after the other: one email, at most the hold after the first.
    for (const round of rounds.slice(0, 2)) expect((await addRaterList(context.db, mailContext(context.deps), coach.id, round.id, `${late},Lee Late,peers`)).added).toBe(1);
    context.clock.advanceMinutes(4);
    expect(mailsTo(smtp.messages, late)).toHaveLength(0);
    context.clock.advanceMinutes(1);
    await deliver();
    await smtp.waitFor(4);
    expect(mailsTo(smtp.messages, late)).toHaveLength(1);
    expect(mailsTo(smtp.messages, late)[0]!.subject).toMatch(/: 2 surveys, /);
  });

  it('never combines across coaches: each coach\'s page and email list only that coach\'s rounds', async () => {
    await threeRounds();
    const first = { coach, rounds, rater };
    const other = await createCoach(context, { name: 'Another Coach' });
    const otherRounds = await roundsSharingRaters(context, other, [`${rater},Robin Shaw,peers`], {});
    for (const round of [...first.rounds, ...otherRounds]) await launch(context, round.coachId === other.id ? other : first.coach, round.id);
    context.clock.advanceMinutes(5);
    await deliver();
    await smtp.waitFor(8);
    const mails = robinsMail();
    expect(mails).toHaveLength(2);
    const pages = await Promise.all(mails.map(async (mail) => (await context.browser().get(linkIn(mail, '/p/'))).text));
    const ownRounds = async (rounds: Round[]) => Promise.all(rounds.map(async (round) => (await listInvitations(context.db, round.id)).find((invitation) => invitation.email === rater)!.id));
    for (const [index, page] of pages.entries()) {
      const otherCoachs = mails[index]!.text!.includes('Another Coach');
      expect(page).toContain(otherCoachs ? 'Your feedback surveys for Another Coach' : `Your feedback surveys for ${first.coach.name}`);
      expect(portalEntries(page)).toHaveLength(3);
    }
    // The page's survey links open the rounds of the page's coach only.
    const mine = new Set(await ownRounds(first.rounds));
    const theirs = new Set(await ownRounds(otherRounds));
    const firstPage = pages[mails.findIndex((mail) => !mail.text!.includes('Another Coach'))]!;
    for (const entry of portalEntries(firstPage)) {
      const token = await context.db
        .selectFrom('invitation_tokens')
        .select('invitation_id')
        .where('token_hash', '=', hashToken(entry.href!.slice(3)))
        .executeTakeFirstOrThrow();
      expect(mine.has(token.invitation_id)).toBe(true);
      expect(theirs.has(token.invitation_id)).toBe(false);
    }
  });

  it('with SURVEY_EMAIL_HOLD_SECONDS=0, sends each invitation at once', async () => {
    const immediate = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom), env: { SURVEY_EMAIL_HOLD_SECONDS: '0' } });
    try {
      const someone = await createCoach(immediate);
      const [round] = await roundsSharingRaters(immediate, someone, [], { peers: 2 }, { clients: [{ clientName: 'Jordan Lee', clientEmail: 'jordan@northwind.example' }] });
      await launch(immediate, someone, round!.id);
      expect(await deliverDueMessages(immediate.deps, DEFAULT_DELIVERY_POLICY)).toEqual({ sent: 3, retried: 0, failed: 0 });
    } finally {
      await immediate.close();
    }
  });
});
