import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { deliverDueMessages } from '../../server/mail/outbox.worker';
import { DATABASE_KINDS } from '../helpers/databases';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { linkIn, passSurveyEmailHold, recipientsOf, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';

describe.each(DATABASE_KINDS)('a feedback round through real email (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom), env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context, { name: 'Casey Coach', email: 'casey@coaching.example' });
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });

  it('invites everyone, raters answer through the links in their email, and the coach sees the counts', async () => {
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 3 }, { message: 'Your honest view matters.' });
    expect(await launch(context, coach, round.id)).toBe(8);
    // Invitations wait SURVEY_EMAIL_HOLD_SECONDS (so that others to the same people can join them), then go.
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    passSurveyEmailHold(context);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 8, retried: 0, failed: 0 });
    await smtp.waitFor(8);

    const invitations = smtp.messages.splice(0);
    const self = invitations.find((mail) => recipientsOf(mail).includes('jordan.lee@example.com'))!;
    const manager = invitations.find((mail) => recipientsOf(mail)[0]!.startsWith('manager-'))!;
    const peer = invitations.find((mail) => recipientsOf(mail)[0]!.startsWith('peers-'))!;
    expect(self.subject).toBe('Jordan Lee: your 360 self-assessment, due 16 Mar 2026');
    expect(peer.subject).toBe('Feedback for Jordan Lee: please respond by 16 Mar 2026');
    for (const mail of [self, manager, peer]) {
      expect(mail.replyTo?.text).toBe('casey@coaching.example');
      expect(mail.from?.value[0]).toMatchObject({ name: '360 Feedback', address: 'no-reply@localhost' });
      expect(mail.messageId).toMatch(/^<[A-Za-z0-9_-]+@localhost>$/);
      expect(mail.date).toBeInstanceOf(Date);
      expect(mail.html).toContain('Casey Coach');
      expect(mail.text).toContain('Casey Coach');
      expect(mail.html).not.toMatch(/<img/i);
      expect(mail.html).not.toMatch(/https?:\/\/(?!localhost)/);
      expect(mail.headers.has('list-unsubscribe')).toBe(false);
    }
    // The coach's message is for the raters; the client's self-assessment has its own wording.
    for (const mail of [manager, peer]) expect(mail.text).toContain('Your honest view matters.');
    expect(self.text).not.toContain('Your honest view matters.');
    expect(peer.text).toContain('only ever shown combined with those of at least 2 other people');
    expect(manager.text).toContain("your answers are shown in the report as the manager's answers");
    expect(self.text).toContain('Your own answers are seen only by you and your coach');
    // Links are stored as hashes only, and are different for every message.
    const links = invitations.map((mail) => linkIn(mail, '/s/'));
    expect(new Set(links).size).toBe(8);
    const tokens = links.map((link) => link.split('/').pop()!);
    const stored = await context.db.selectFrom('invitation_tokens').select('token_hash').execute();
    for (const token of tokens) expect(stored.map((row) => row.token_hash)).not.toContain(token);

    // Everyone but one direct report answers, through their own link.
    const answered = invitations.filter((mail) => !recipientsOf(mail)[0]!.startsWith('reports-3'));
    for (const mail of answered) {
      const response = await answerSurvey(context.browser(), linkIn(mail, '/s/'), (_id, index) => ((index * 3) % 5) + 1, { q1: 'Clear and calm.' });
      expect(response.status).toBe(200);
      expect(response.text).toContain('Thank you');
    }

    const page = await (await signedInBrowser(context, coach)).get(`/rounds/${round.id}`);
    expect(page.status).toBe(200);
    const rows = [...page.text.matchAll(/<th scope="row">([^<]+)[\s\S]*?<td class="num"[^>]*>(\d+)<\/td><td class="num"[^>]*>(\d+)<\/td><td class="num"[^>]*>(\d+)<\/td><td class="num"[^>]*>(\d+)<\/td>/g)].map(
      (match) => [match[1]!.trim(), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])],
    );
    expect(rows).toEqual([
      ['Self', 1, 1, 1, 0],
      ['Manager', 1, 1, 1, 0],
      ['Peers', 3, 3, 3, 0],
      ['Direct reports', 3, 2, 2, 0],
      ['Others', 0, 0, 0, 0],
      ['All', 8, 7, 7, 0],
    ]);
    expect(page.text).toContain('<progress max="100" value="67" aria-label="Direct reports response rate">'); // 2 of 3
    expect(await context.db.selectFrom('responses').select('id').where('round_id', '=', round.id).execute()).toHaveLength(7);

    // Each rater got a thank-you.
    await deliverDueMessages(context.deps);
    await smtp.waitFor(7);
    expect(smtp.messages.every((mail) => /^Thank you/.test(mail.subject ?? ''))).toBe(true);
    expect(context.logger.errors).toEqual([]);
  });
});
