import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { runRoundSchedule } from '../../server/jobs/scheduler';
import { sendDueReminders } from '../../server/jobs/round-schedule';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, passSurveyEmailHold, readEmlOutbox, recipientsOf, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('automatic reminders and closing (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let seen = 0;

  beforeAll(async () => {
    context = await createTestContext(kind, { env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context);
  });
  afterAll(() => context.close());

  /** What the raters received once the emails queued so far have waited their hold. */
  async function newMail() {
    passSurveyEmailHold(context);
    await deliverOutbox(context);
    const all = await readEmlOutbox(context);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }

  it('reminds 3 days and 1 day before the deadline, never those who answered or declined, then closes the round', async () => {
    context.clock.set('2026-03-02T09:00:00.000Z');
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 }); // deadline: end of 16 March
    await launch(context, coach, round.id);
    const invitations = await newMail();
    const links = new Map(invitations.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
    const emailOf = (prefix: string) => [...links.keys()].find((email) => email.startsWith(prefix))!;
    await answerSurvey(context.browser(), links.get(emailOf('peers-1'))!);
    await context.browser().post(`${links.get(emailOf('peers-2'))!}/decline`, { reason: '' });
    await newMail(); // the thank-you

    context.clock.set('2026-03-10T09:00:00.000Z');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 0, reminded: 0 });

    context.clock.set('2026-03-14T08:00:00.000Z');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 0, reminded: 2 });
    const first = await newMail();
    expect(first.map((mail) => recipientsOf(mail)[0]).sort()).toEqual([emailOf('peers-3'), 'jordan.lee@example.com'].sort());
    expect(first.every((mail) => mail.subject!.startsWith('Reminder:'))).toBe(true);
    context.clock.set('2026-03-14T20:00:00.000Z');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 0, reminded: 0 });

    context.clock.set('2026-03-16T07:00:00.000Z');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 0, reminded: 2 });
    await newMail();
    expect((await context.browser().get(links.get(emailOf('peers-3'))!)).status).toBe(200);

    context.clock.set('2026-03-17T00:00:01.000Z');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 1, reminded: 0 });
    expect((await context.db.selectFrom('rounds').select('status').where('id', '=', round.id).executeTakeFirstOrThrow()).status).toBe('closed');
    expect((await context.browser().get(links.get(emailOf('peers-3'))!)).text).toContain('This round has closed');
    expect(await runRoundSchedule(context.deps)).toEqual({ closed: 0, reminded: 0 });
  });

  it('sends only the most urgent reminder when several are due, and none whose moment came before the launch', async () => {
    context.clock.set('2026-04-14T10:00:00.000Z');
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 }, { deadlineDay: '2026-04-16' });
    await launch(context, coach, round.id);
    await newMail();
    // The 3-day moment (13 April) passed before the launch: skipped, not sent late.
    context.clock.set('2026-04-14T11:00:00.000Z');
    expect((await runRoundSchedule(context.deps)).reminded).toBe(0);
    // The server was down on the 15th: at 07:00 on the 16th only the 1-day reminder goes out.
    context.clock.set('2026-04-16T07:00:00.000Z');
    expect((await runRoundSchedule(context.deps)).reminded).toBe(4);
    expect((await newMail()).length).toBe(4);
    expect(await context.db.selectFrom('round_reminders').select(['days_before', 'skipped']).where('round_id', '=', round.id).orderBy('days_before').execute()).toEqual([
      { days_before: 1, skipped: 0 },
      { days_before: 3, skipped: 1 },
    ]);
  });

  it('takes the reminder days from the configuration', async () => {
    context.clock.set('2026-05-01T10:00:00.000Z');
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 }, { deadlineDay: '2026-05-20' });
    await launch(context, coach, round.id);
    await newMail();
    // Deadline: the end of 20 May. Five days before is the end of 15 May; two days, the end of 18 May.
    context.clock.set('2026-05-15T10:00:00.000Z');
    expect(await sendDueReminders(context.db, mailContext(context.deps), [5, 2])).toBe(0);
    context.clock.set('2026-05-16T10:00:00.000Z');
    expect(await sendDueReminders(context.db, mailContext(context.deps), [5, 2])).toBe(4);
    context.clock.set('2026-05-18T10:00:00.000Z');
    expect(await sendDueReminders(context.db, mailContext(context.deps), [5, 2])).toBe(0);
    context.clock.set('2026-05-19T10:00:00.000Z');
    expect(await sendDueReminders(context.db, mailContext(context.deps), [5, 2])).toBe(4);
  });
});
