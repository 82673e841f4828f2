import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { linkIn, recipientsOf } from '../helpers/mail';
import { RemoteBrowser, submitSurveyOverHttp } from '../helpers/remote-browser';
import { createRoundWithRaters, ITEM_IDS } from '../helpers/rounds';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';
import { createSharedContext, type SharedContext } from '../helpers/shared-database';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach } from '../helpers/test-app';

/**
 * Two server processes on one database (the same SQLite file, or the same PostgreSQL schema), each
 * taking half of the submissions at the same time and each running its outbox worker: the writers
 * wait for each other instead of failing, no response is lost or doubled, and the two workers
 * never send the same message.
 */
const RATERS = { manager: 1, peers: 50, reports: 50, others: 49 };
const RATER_COUNT = 150;

describe.each(DATABASE_KINDS)('two servers on one database (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: SharedContext;
  let coach: Coach;
  let round: Round;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const [portA, portB] = [await freePort(), await freePort()];
    // Links in emails point at the first server; the second is reached by the same paths.
    context = await createSharedContext(kind, `http://127.0.0.1:${portA}`);
    coach = await createCoach(context, { name: 'Busy Coach' });
    ({ round } = await createRoundWithRaters(context, coach, RATERS, { deadlineDay: dayOf(addDays(new Date(), 14)) }));
    servers = await Promise.all(
      [portA, portB].map((port) => startServerProcess({ dataDir: context.dataDir, database: context.serverDatabase, port, smtpUrl: smtp.url, env: { PUBLIC_URL: `http://127.0.0.1:${portA}` } })),
    );
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await context?.close();
    await smtp?.stop();
  });

  function outboxRows() {
    return context.db.selectFrom('outbox').select(['kind', 'status', 'message_id']).where('round_id', '=', round.id).execute();
  }

  it('loses and doubles nothing while both take submissions and both send email', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    // Launched through one server; both workers compete for the 151 invitations.
    const coachBrowser = await new RemoteBrowser(a.url).signIn(coach.email);
    expect((await coachBrowser.post(`/rounds/${round.id}/launch`)).status).toBe(303);
    await smtp.waitFor(RATER_COUNT + 1, 30_000);
    const links = smtp.messages.filter((mail) => recipientsOf(mail)[0] !== 'jordan.lee@example.com').map((mail) => linkIn(mail, '/s/'));
    expect(new Set(links).size).toBe(RATER_COUNT);

    // Every other rater answers through the second server, all at once.
    const statuses = await Promise.all(links.map((link, index) => submitSurveyOverHttp((index % 2 ? b : a).url, link, ITEM_IDS)));
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // The same links again, through the other server: each is refused as already answered.
    const again = await Promise.all(links.slice(0, 20).map((link, index) => submitSurveyOverHttp((index % 2 ? a : b).url, link, ITEM_IDS)));
    expect(again.every((status) => status === 409)).toBe(true);

    const responses = await context.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', round.id).executeTakeFirstOrThrow();
    const completed = await context.db.selectFrom('invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', round.id).where('status', '=', 'completed').executeTakeFirstOrThrow();
    expect(Number(responses.n)).toBe(RATER_COUNT);
    expect(Number(completed.n)).toBe(RATER_COUNT);

    // The invitations stay as sent; each thank-you is deleted once sent (it would date the answer).
    await waitUntil('every message sent', async () => {
      const rows = await outboxRows();
      return rows.length === RATER_COUNT + 1 && rows.every((row) => row.status === 'sent');
    }, 30_000);
    const rows = await outboxRows();
    await smtp.waitFor(2 * RATER_COUNT + 1);
    expect([...smtp.deliveries.values()].filter((count) => count !== 1)).toEqual([]);
    expect(smtp.deliveries.size).toBe(2 * RATER_COUNT + 1);
    expect(smtp.messages.filter((mail) => mail.subject?.startsWith('Thank you'))).toHaveLength(RATER_COUNT);
    for (const row of rows) expect(smtp.deliveries.get(row.message_id)).toBe(1);
    // Both servers still answer, and neither logged an error.
    for (const server of servers) {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.errors()).toEqual([]);
    }
  }, 90_000);
});
