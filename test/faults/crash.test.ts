import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { linkIn, recipientsOf } from '../helpers/mail';
import { RemoteBrowser, submitSurveyOverHttp } from '../helpers/remote-browser';
import { createRoundWithRaters, ITEM_IDS, launch } from '../helpers/rounds';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';
import { createSharedContext, deliverAt, type SharedContext } from '../helpers/shared-database';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach } from '../helpers/test-app';

/**
 * Crash drill: the real server, killed with SIGKILL while 300 raters submit at once, then started
 * again on the same data. Nothing that was answered 2xx may be lost, nothing may be half-stored,
 * the other raters' links must still work, and every email must arrive exactly once.
 *
 * Email and the kill: the outbox delivers at least once. The only way a message can arrive twice
 * is a kill after the SMTP server accepted it and before the server recorded that (the claim then
 * expires and the message is sent again, with the same Message-ID). We kill in a way that rules
 * that window out, so the test can demand exactly once for every message: all invitations are
 * delivered and recorded before the storm, and from the start of the storm until the kill the SMTP
 * server stalls (it takes each message and never answers), so at the kill no message has been
 * accepted. The messages the dead process had claimed stay "sending" until their two-minute claim
 * expires; instead of waiting, another worker (this test) runs at that moment of the clock.
 */
const RATERS = { manager: 1, peers: 100, reports: 100, others: 99 };
const RATER_COUNT = 300;
const KILL_AFTER_ANSWERS = 90;

describe.each(DATABASE_KINDS)('a server killed in the middle of 300 concurrent submissions (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: SharedContext;
  let coach: Coach;
  let round: Round;
  let port: number;
  let server: ServerProcess | undefined;
  const servers: ServerProcess[] = [];

  async function start(): Promise<ServerProcess> {
    server = await startServerProcess({ dataDir: context.dataDir, database: context.serverDatabase, port, smtpUrl: smtp.url });
    servers.push(server);
    return server;
  }

  async function roundCounts() {
    const responses = await context.db.selectFrom('responses').select(['group_key', (eb) => eb.fn.countAll<number>().as('n')]).where('round_id', '=', round.id).groupBy('group_key').execute();
    const completed = await context.db
      .selectFrom('invitations')
      .select(['group_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('round_id', '=', round.id)
      .where('status', '=', 'completed')
      .groupBy('group_key')
      .execute();
    const byGroup = (rows: Array<{ group_key: string; n: number | string }>) => Object.fromEntries(rows.map((row) => [row.group_key, Number(row.n)]).sort());
    const responsesByGroup = byGroup(responses);
    const completedByGroup = byGroup(completed);
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { responsesByGroup, completedByGroup, responses: total(responsesByGroup), completed: total(completedByGroup) };
  }

  function outboxRows() {
    return context.db.selectFrom('outbox').select(['id', 'kind', 'status', 'message_id', 'lease_until', 'attempts']).where('round_id', '=', round.id).execute();
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    port = await freePort();
    context = await createSharedContext(kind, `http://127.0.0.1:${port}`);
    coach = await createCoach(context, { name: 'Crash Coach' });
    ({ round } = await createRoundWithRaters(context, coach, RATERS, { deadlineDay: dayOf(addDays(new Date(), 14)) }));
    expect(await launch(context, coach, round.id)).toBe(RATER_COUNT + 1);
  }, 60_000);

  afterAll(async () => {
    for (const one of servers) await one.kill();
    await context?.close();
    await smtp?.stop();
  });

  it('keeps every answered submission exactly once, loses no link and sends every email exactly once', async () => {
    // The server starts and sends the 301 invitations (the client's own among them).
    await start();
    await smtp.waitFor(RATER_COUNT + 1, 30_000);
    await waitUntil('every invitation recorded as sent', async () => (await outboxRows()).every((row) => row.status === 'sent'));
    const links = smtp.messages.filter((mail) => recipientsOf(mail)[0] !== 'jordan.lee@example.com').map((mail) => linkIn(mail, '/s/'));
    expect(new Set(links).size).toBe(RATER_COUNT);

    // The storm, with the SMTP server holding every answer; the kill comes once enough have been answered.
    smtp.mode = 'stall';
    const victim = server!;
    let answered = 0;
    let killed: Promise<void> | undefined;
    const outcomes = await Promise.all(
      links.map(async (link) => {
        const status = await submitSurveyOverHttp(victim.url, link, ITEM_IDS);
        if (status !== null && (answered += 1) >= KILL_AFTER_ANSWERS) killed ??= victim.kill();
        return { link, status };
      }),
    );
    await killed;
    expect(victim.errors()).toEqual([]);
    const ok = outcomes.filter((outcome) => outcome.status === 200);
    const unanswered = outcomes.filter((outcome) => outcome.status === null);
    // Every answer that came back was a success; the kill really happened part-way.
    expect(outcomes.filter((outcome) => outcome.status !== null && outcome.status !== 200)).toEqual([]);
    expect(ok.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);
    expect(unanswered.length).toBeGreaterThan(0);

    // Straight after the kill, with the database as the dead process left it: nothing half-stored.
    const afterKill = await roundCounts();
    expect(afterKill.responsesByGroup).toEqual(afterKill.completedByGroup);
    expect(afterKill.completed).toBeGreaterThanOrEqual(ok.length);
    expect(afterKill.completed).toBeLessThanOrEqual(ok.length + unanswered.length);
    // The claims the dead process held: only thank-you messages, none accepted by the SMTP server.
    const deadClaims = (await outboxRows()).filter((row) => row.status === 'sending');
    expect(deadClaims.every((row) => row.kind === 'survey-thanks')).toBe(true);
    expect(smtp.messages).toHaveLength(RATER_COUNT + 1);

    smtp.mode = 'accept';
    const restarted = await start();
    const anonymous = new RemoteBrowser(restarted.url);
    // Every link answered 2xx is used up; of the others, those whose transaction committed before
    // the kill are used up too, and all the rest still open the survey.
    for (const { link } of ok) expect((await anonymous.get(link)).text).toContain('Already submitted');
    const stillOpen: string[] = [];
    for (const { link } of unanswered) {
      const page = await anonymous.get(link);
      expect(page.status).toBe(200);
      if (page.text.includes('Already submitted')) continue;
      expect(page.text).toContain('name="r.c1i1"');
      stillOpen.push(link);
    }
    expect(afterKill.completed).toBe(ok.length + (unanswered.length - stillOpen.length));

    // The remaining raters answer on the restarted server.
    const statuses = await Promise.all(stillOpen.map((link) => submitSurveyOverHttp(restarted.url, link, ITEM_IDS)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    const final = await roundCounts();
    expect(final.responses).toBe(RATER_COUNT);
    expect(final.completed).toBe(RATER_COUNT);
    expect(final.responsesByGroup).toEqual(final.completedByGroup);

    // The outbox resumes: the restarted server sends what was pending. The dead process's claims
    // expire two minutes after they were taken; a worker running at that moment sends them. Its
    // clock is still before any claim of the live server, so the two never hold the same message.
    if (deadClaims.length) {
      const expiry = new Date(Math.max(...deadClaims.map((row) => Date.parse(row.lease_until!))) + 1);
      const mailer = smtp.mailer(context.config.mailFrom);
      await deliverAt(context, expiry, mailer);
      mailer.close();
    }
    // Thank-you messages are deleted once sent (their moment would record when each rater answered).
    await waitUntil('every message sent', async () => (await outboxRows()).every((row) => row.status === 'sent' && row.kind !== 'survey-thanks'), 30_000);
    const rows = await outboxRows();
    expect(rows.filter((row) => row.kind === 'survey-invitation')).toHaveLength(RATER_COUNT + 1);
    expect(rows).toHaveLength(RATER_COUNT + 1);
    await smtp.waitFor(2 * RATER_COUNT + 1, 10_000);
    const duplicates = [...smtp.deliveries].filter(([, count]) => count !== 1);
    expect(duplicates).toEqual([]);
    expect(smtp.deliveries.size).toBe(2 * RATER_COUNT + 1);
    expect(smtp.messages.filter((mail) => mail.subject?.startsWith('Thank you'))).toHaveLength(RATER_COUNT);
    for (const row of rows) expect(smtp.deliveries.get(row.message_id)).toBe(1);
    expect(restarted.errors()).toEqual([]);
  }, 120_000);
});
