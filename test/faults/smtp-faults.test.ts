import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, addSeconds, dayOf } from '../../server/clock';
import { DEFAULT_DELIVERY_POLICY, retryDelaySeconds } from '../../server/mail/outbox.worker';
import type { Mailer } from '../../server/mail/mailer';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { linkIn, recipientsOf } from '../helpers/mail';
import { RemoteBrowser, submitSurveyOverHttp } from '../helpers/remote-browser';
import { createRoundWithRaters, ITEM_IDS } from '../helpers/rounds';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';
import { createSharedContext, deliverAt, type SharedContext } from '../helpers/shared-database';
import { startSmtpServer, type SmtpMode, type TestSmtpServer } from '../helpers/smtp';
import { createCoach } from '../helpers/test-app';

/**
 * SMTP faults against the real server process. The server's own worker meets each fault first, on
 * the real clock; its retries are 30 s and more apart, so the later attempts are driven by a second
 * worker in this test process with a clock of its own (as another instance would, minutes later):
 * every message it retries is then scheduled beyond anything the server's real clock reaches, and
 * claims keep the two workers off each other's messages.
 *
 * The server's SMTP timeouts are shortened through SMTP_URL (nodemailer reads options from its
 * query string), so a stall outlasts the socket timeout within seconds rather than 30 s.
 */
const SERVER_SOCKET_TIMEOUT_MS = 5000;
const QUICK_MS = 2500;

describe.each(DATABASE_KINDS)('SMTP failures while the server keeps running (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: SharedContext;
  let server: ServerProcess;
  let coach: Coach;
  let round: Round;
  let coachBrowser: RemoteBrowser;
  let worker: Mailer;
  let links: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    await smtp.stop(); // down from the start: connections are refused
    const port = await freePort();
    context = await createSharedContext(kind, `http://127.0.0.1:${port}`);
    coach = await createCoach(context, { name: 'Mail Coach' });
    ({ round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 1 }, { deadlineDay: dayOf(addDays(new Date(), 14)) }));
    server = await startServerProcess({
      dataDir: context.dataDir,
      database: context.serverDatabase,
      port,
      smtpUrl: `${smtp.url}/?socketTimeout=${SERVER_SOCKET_TIMEOUT_MS}&connectionTimeout=2000&greetingTimeout=2000`,
    });
    coachBrowser = await new RemoteBrowser(server.url).signIn(coach.email);
    worker = smtp.mailer(context.config.mailFrom, { socketTimeout: 1000 });
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    worker?.close();
    await context?.close();
    await smtp?.stop();
  });

  function messages(kindOfMessage?: string) {
    return context.db
      .selectFrom('outbox')
      .selectAll()
      .where('round_id', '=', round.id)
      .$if(kindOfMessage !== undefined, (query) => query.where('kind', '=', kindOfMessage!))
      .execute();
  }

  /** One pass of the test's worker once every pending message is due; checks the backoff it applied. */
  async function retryPass(mode: SmtpMode, expectedError: RegExp, previousDelay: number): Promise<number> {
    smtp.mode = mode;
    const pending = (await messages()).filter((row) => row.status === 'pending');
    const at = new Date(Math.max(...pending.map((row) => Date.parse(row.next_attempt_at))));
    const tally = await deliverAt(context, at, worker);
    expect(tally).toEqual({ sent: 0, retried: pending.length, failed: 0 });
    const rows = (await messages()).filter((row) => pending.some((before) => before.id === row.id));
    let delay = 0;
    for (const row of rows) {
      expect(row.status).toBe('pending');
      expect(row.last_error).toMatch(expectedError);
      delay = retryDelaySeconds(Number(row.attempts), DEFAULT_DELIVERY_POLICY);
      expect(row.next_attempt_at).toBe(addSeconds(at, delay).toISOString());
    }
    expect(delay).toBeGreaterThan(previousDelay);
    return delay;
  }

  it('retries refusals, 421/451 answers and timeouts with growing delays until each message is delivered once', async () => {
    expect((await coachBrowser.post(`/rounds/${round.id}/launch`)).status).toBe(303);
    // The server's worker tries at once and finds the SMTP server refusing connections.
    const firstTries = await waitUntil('the server to try every invitation once', async () => {
      const rows = await messages();
      return rows.length === 6 && rows.every((row) => row.status === 'pending' && Number(row.attempts) >= 1) && rows;
    });
    for (const row of firstTries) {
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(row.next_attempt_at)).toBeGreaterThan(Date.now());
    }
    expect((await coachBrowser.get('/healthz')).status).toBe(200);
    expect((await coachBrowser.get(`/rounds/${round.id}`)).text).not.toContain('could not be delivered');

    let delay = await retryPass('accept', /ECONNREFUSED|connect/i, 0); // still stopped
    await smtp.start();
    delay = await retryPass('temporary', /451/, delay);
    delay = await retryPass('busy', /421/, delay);
    delay = await retryPass('stall', /timeout/i, delay);

    smtp.mode = 'accept';
    const due = new Date(Math.max(...(await messages()).map((row) => Date.parse(row.next_attempt_at))));
    expect(await deliverAt(context, due, worker)).toEqual({ sent: 6, retried: 0, failed: 0 });
    await smtp.waitFor(6);
    expect([...smtp.deliveries.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await messages()).every((row) => row.status === 'sent' && row.message === null)).toBe(true);
    links = smtp.messages.filter((mail) => !recipientsOf(mail)[0]!.startsWith('jordan')).map((mail) => linkIn(mail, '/s/'));
    expect(links).toHaveLength(5);
  }, 60_000);

  it('keeps answering pages and submissions while its own worker is stuck on a stalled SMTP server', async () => {
    smtp.mode = 'stall';
    expect(await submitSurveyOverHttp(server.url, links[0]!, ITEM_IDS)).toBe(200);
    const [stuck] = await waitUntil('the server to claim the thank-you', async () => {
      const rows = await messages('survey-thanks');
      return rows.length === 1 && rows[0]!.status === 'sending' && rows;
    });

    // For as long as the server's worker holds that message (until its socket timeout ends the
    // stall), pages, a survey and a submission keep being answered, each well within that timeout.
    const rater = new RemoteBrowser(server.url);
    const latencies: number[] = [];
    let submitted = false;
    let rounds = 0;
    for (;;) {
      const row = (await messages('survey-thanks')).find((candidate) => candidate.id === stuck!.id)!;
      if (row.status !== 'sending') break;
      const health = await rater.get('/healthz');
      const survey = await rater.get(links[1]!);
      const page = await coachBrowser.get(`/rounds/${round.id}`);
      expect([health.status, survey.status, page.status]).toEqual([200, 200, 200]);
      expect(survey.text).toContain('name="r.c1i1"');
      latencies.push(health.ms, survey.ms, page.ms);
      if (!submitted) {
        const started = performance.now();
        expect(await submitSurveyOverHttp(server.url, links[2]!, ITEM_IDS)).toBe(200);
        latencies.push(performance.now() - started);
        submitted = true;
      }
      rounds += 1;
    }
    smtp.mode = 'accept';
    expect(submitted).toBe(true);
    expect(rounds).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(QUICK_MS);

    // The server gave up on the stalled message past its socket timeout and scheduled a retry.
    const retried = (await messages('survey-thanks')).find((row) => row.id === stuck!.id)!;
    expect(retried.status).toBe('pending');
    expect(retried.last_error).toMatch(/timeout/i);
    // Once the server holds no claim, a worker at the retry's due time sends what is left.
    await waitUntil('the server to hold no claim', async () => (await messages()).every((row) => row.status !== 'sending'), SERVER_SOCKET_TIMEOUT_MS * 3);
    const pending = (await messages()).filter((row) => row.status === 'pending');
    if (pending.length) await deliverAt(context, new Date(Math.max(...pending.map((row) => Date.parse(row.next_attempt_at)))), worker);
    // A thank-you is deleted once sent: its moment would record when the rater answered.
    await waitUntil('both thank-you messages sent and forgotten', async () => (await messages('survey-thanks')).length === 0);
    await smtp.waitFor(8);
    expect(smtp.messages.filter((mail) => mail.subject?.startsWith('Thank you'))).toHaveLength(2);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(server.errors()).toEqual([]);
  }, 60_000);

  it('marks permanent refusals failed at once, shows them to the coach, and never retries them', async () => {
    smtp.mode = 'permanent';
    expect((await coachBrowser.post(`/rounds/${round.id}/remind`)).status).toBe(303);
    // Reminders go to the client, the manager, and the two raters who have not answered.
    const failed = await waitUntil('the server to fail every reminder', async () => {
      const rows = await messages('survey-reminder');
      return rows.length === 4 && rows.every((row) => row.status === 'failed') && rows;
    });
    for (const row of failed) {
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/550/);
    }
    const page = await coachBrowser.get(`/rounds/${round.id}`);
    expect(page.text).toContain('4 emails could not be delivered');
    expect(page.text).toContain('550');
    for (const row of failed) expect(page.text).toContain(row.recipient);

    smtp.mode = 'accept';
    expect(await deliverAt(context, addSeconds(new Date(), 86_400), worker)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(8);
    const all = await messages();
    // 6 invitations kept as sent; the 2 thank-you messages were delivered and forgotten.
    expect(all.filter((row) => row.status === 'sent')).toHaveLength(6);
    expect(all.filter((row) => row.status === 'failed')).toHaveLength(4);
    const invitationIds = new Set(all.filter((row) => row.status === 'sent').map((row) => row.message_id));
    expect([...smtp.deliveries.keys()].filter((id) => invitationIds.has(id))).toHaveLength(6);
    expect([...smtp.deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(server.errors()).toEqual([]);
  }, 30_000);
});
