import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { deliverDueMessages } from '../../server/mail/outbox.worker';
import { remindNow } from '../../server/rounds/invitations.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { linkIn, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createSmtpTestContext } from '../helpers/smtp';
import { createCoach, type TestContext } from '../helpers/test-app';

// The coach's message is written to the raters; a client reading it would be thanked for helping
// themself grow and told that their own answers are anonymous.
const RATER_MESSAGE = 'Thank you for helping Jordan grow. Your answers are anonymous, so please be candid.';

describe.each(DATABASE_KINDS)('the self-assessment speaks to the client, and never passes on the message to raters (%s)', (kind) => {
  let mailed: Awaited<ReturnType<typeof createSmtpTestContext>>;
  let context: TestContext;
  let coach: Coach;

  beforeAll(async () => {
    mailed = await createSmtpTestContext(kind);
    context = mailed.context;
    coach = await createCoach(context, { name: 'Casey Coach', email: 'casey@coaching.example' });
  });
  afterAll(() => mailed.close());

  async function deliver(count: number): Promise<ParsedMail[]> {
    await deliverDueMessages(context.deps);
    await mailed.smtp.waitFor(count);
    return mailed.smtp.messages.splice(0);
  }
  const to = (mails: ParsedMail[], prefix: string) => mails.find((mail) => recipientsOf(mail)[0]!.startsWith(prefix))!;

  function expectNoRaterWording(text: string) {
    expect(text).not.toContain('helping Jordan grow');
    expect(text).not.toContain('please be candid');
    expect(text).not.toMatch(/anonymous|without your name|if you have not seen/i);
  }

  it('in the invitation, the reminder, the survey page and the thank-you', async () => {
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3 }, { message: RATER_MESSAGE });
    await launch(context, coach, round.id);
    const invitations = await deliver(5);
    const self = to(invitations, 'jordan.lee@');
    const peer = to(invitations, 'peers-1');

    // Raters keep the coach's message.
    expect(peer.text).toContain(RATER_MESSAGE);
    expect(peer.html).toContain(RATER_MESSAGE);

    // The client gets what they need: what the self-assessment is for, the deadline and the link.
    const selfLink = linkIn(self, '/s/');
    expect(self.subject).toBe('Jordan Lee: your 360 self-assessment, due 16 Mar 2026');
    for (const body of [self.text!, self.html as string]) {
      expectNoRaterWording(body);
      expect(body).toContain('please rate yourself on the same statements your colleagues are answering about you');
      expect(body).toContain('Your report puts your own view next to theirs');
      expect(body).toContain('16 Mar 2026');
      expect(body).toContain(selfLink);
      expect(body).toContain('Your own answers are seen only by you and your coach');
    }

    const selfPage = await context.browser().get(selfLink);
    expect(selfPage.status).toBe(200);
    expectNoRaterWording(selfPage.text);
    expect(selfPage.text).toContain('<h1>Your self-assessment</h1>');
    expect(selfPage.text).toContain('Your report puts your own view next to theirs');
    expect(selfPage.text).toContain('Please answer by <strong>16 Mar 2026</strong>');
    expect(selfPage.text).toContain('If a statement does not apply to your role, choose “Not able to rate”.');
    expect(selfPage.text).toContain('Where a question says “this person”, it means you.');
    const peerPage = await context.browser().get(linkIn(peer, '/s/'));
    expect(peerPage.text).toContain(RATER_MESSAGE);
    expect(peerPage.text).toContain('If you have not seen it, choose “Not able to rate”.');
    expect(peerPage.text).toContain('Comments are shown without your name');

    await remindNow(context.db, mailContext(context.deps), coach.id, round.id);
    const reminders = await deliver(5);
    const selfReminder = to(reminders, 'jordan.lee@');
    expect(selfReminder.subject).toBe('Reminder: your self-assessment is due 16 Mar 2026');
    for (const body of [selfReminder.text!, selfReminder.html as string]) {
      expectNoRaterWording(body);
      expect(body).toContain('16 Mar 2026');
      expect(body).toContain(linkIn(selfReminder, '/s/'));
      expect(body).toContain('Your report compares your own view with how your colleagues see you');
    }

    const submitted = await answerSurvey(context.browser(), selfLink);
    expect(submitted.status).toBe(200);
    expectNoRaterWording(submitted.text);
    expect(submitted.text).toContain('Casey Coach will go through the report with you.');
    const [thanks] = await deliver(1);
    expect(thanks!.subject).toBe('Thank you for completing your self-assessment');
    for (const body of [thanks!.text!, thanks!.html as string]) {
      expectNoRaterWording(body);
      expect(body).toContain('Casey Coach will go through the report with you');
    }
    expect(context.logger.errors).toEqual([]);
  });

  it('offers the client a decline worded for a self-assessment', async () => {
    const { round } = await createRoundWithRaters(context, coach, {}, { message: RATER_MESSAGE });
    await launch(context, coach, round.id);
    const [self] = await deliver(1);
    const page = await context.browser().get(`${linkIn(self!, '/s/')}/decline`);
    expect(page.status).toBe(200);
    expectNoRaterWording(page.text);
    expect(page.text).toContain('Decline your self-assessment');
  });
});
