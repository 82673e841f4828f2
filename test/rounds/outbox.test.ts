import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { openDatabase } from '../../server/db/connect';
import { claimDueMessages, countMessagesByStatus } from '../../server/mail/outbox.repository';
import { DEFAULT_DELIVERY_POLICY, deliverDueMessages } from '../../server/mail/outbox.worker';
import { DATABASE_KINDS } from '../helpers/databases';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { passSurveyEmailHold, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';

describe.each(DATABASE_KINDS)('the email outbox (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom, { socketTimeout: 1500 }), env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context);
  });
  afterEach(async () => {
    smtp.mode = 'accept';
    await smtp.start().catch(() => undefined); // restart if a test stopped it
    await deliverDueMessages(context.deps);
    smtp.messages.length = 0;
    smtp.deliveries.clear();
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });

  async function outboxRows() {
    return context.db.selectFrom('outbox').selectAll().where('status', '!=', 'sent').orderBy('created_at').execute();
  }

  it('loses nothing while the SMTP server is down, and delivers each message exactly once when it is back', async () => {
    await smtp.stop();
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 3, others: 3 });
    expect(await launch(context, coach, round.id)).toBe(11);
    passSurveyEmailHold(context);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 11, failed: 0 });
    const pending = await outboxRows();
    expect(pending).toHaveLength(11);
    expect(pending.every((row) => row.status === 'pending' && row.attempts === 1 && row.last_error)).toBe(true);
    expect(pending[0]!.last_error).toMatch(/ECONNREFUSED|connect/i);
    // Nothing is retried before its backoff has passed.
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });

    await smtp.start();
    context.clock.advanceMinutes(1);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 11, retried: 0, failed: 0 });
    await smtp.waitFor(11);
    expect([...smtp.deliveries.values()]).toEqual(Array(11).fill(1));
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Sent messages keep no body: the link inside it is gone from the database.
    const sent = await context.db.selectFrom('outbox').select(['message', 'action_url']).where('round_id', '=', round.id).execute();
    expect(sent.every((row) => row.message === null && row.action_url === null)).toBe(true);
  });

  it('retries temporary refusals with growing delays until delivered', async () => {
    smtp.mode = 'temporary';
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
    await launch(context, coach, round.id);
    passSurveyEmailHold(context);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const before = context.clock.now().getTime();
      expect((await deliverDueMessages(context.deps)).retried).toBe(4);
      const [row] = await outboxRows();
      expect(row!.attempts).toBe(attempt);
      expect(row!.last_error).toContain('451');
      delays.push((new Date(row!.next_attempt_at).getTime() - before) / 1000);
      context.clock.set(row!.next_attempt_at);
    }
    expect(delays).toEqual([30, 60, 120]);
    smtp.mode = 'busy';
    expect((await deliverDueMessages(context.deps)).retried).toBe(4);
    context.clock.advanceMinutes(5);
    smtp.mode = 'accept';
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 4, retried: 0, failed: 0 });
    expect([...smtp.deliveries.values()]).toEqual([1, 1, 1, 1]);
  });

  it('marks permanent refusals failed at once and shows them on the round page', async () => {
    smtp.mode = 'permanent';
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
    await launch(context, coach, round.id);
    passSurveyEmailHold(context);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 4 });
    const page = await (await signedInBrowser(context, coach)).get(`/rounds/${round.id}`);
    expect(page.text).toContain('4 emails could not be delivered');
    expect(page.text).toContain('550');
    expect(page.text).toMatch(/peers-1-[a-z0-9_-]+@example\.com/);
  });

  it('gives up after the last attempt', async () => {
    smtp.mode = 'temporary';
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
    await launch(context, coach, round.id);
    passSurveyEmailHold(context);
    for (let attempt = 1; attempt < DEFAULT_DELIVERY_POLICY.maxAttempts; attempt += 1) {
      expect((await deliverDueMessages(context.deps)).retried).toBe(4);
      context.clock.advanceDays(1);
    }
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 4 });
  });

  it('retries a message whose sender died mid-send once its claim has expired', async () => {
    const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
    await launch(context, coach, round.id);
    passSurveyEmailHold(context);
    const now = context.clock.now();
    // A worker claims the messages and is killed before recording anything.
    const claimed = await claimDueMessages(context.db, context.kind, { now: now.toISOString(), leaseUntil: new Date(now.getTime() + 120_000).toISOString(), limit: 50 });
    expect(claimed).toHaveLength(4);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    context.clock.advanceMinutes(3);
    expect(await deliverDueMessages(context.deps)).toEqual({ sent: 4, retried: 0, failed: 0 });
    expect(await countMessagesByStatus(context.db)).toMatchObject({ sending: 0, pending: 0 });
  });

  it.runIf(kind === 'postgres')('never lets two workers on PostgreSQL send the same message', async () => {
    const location = context.database.location as { url: string; schema: string };
    const second = openDatabase({ kind: 'postgres', url: location.url, schema: location.schema, poolSize: 5 });
    try {
      const rounds = await Promise.all([1, 2, 3].map(() => createRoundWithRaters(context, coach, { peers: 10, reports: 10, others: 10 })));
      for (const { round } of rounds) await launch(context, coach, round.id);
      passSurveyEmailHold(context);
      const policy = { ...DEFAULT_DELIVERY_POLICY, batchSize: 7 };
      const workerB = { ...context.deps, db: second.db };
      const results = await Promise.all([deliverDueMessages(context.deps, policy), deliverDueMessages(workerB, policy), deliverDueMessages(context.deps, policy)]);
      const total = results.reduce((sum, result) => sum + result.sent, 0);
      // 31 invitations a round; the client of all three (one address) gets one email for their three self-assessments.
      expect(total).toBe(91);
      expect(results.filter((result) => result.sent > 0).length).toBeGreaterThan(1);
      await smtp.waitFor(91);
      expect(smtp.deliveries.size).toBe(91);
      expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
