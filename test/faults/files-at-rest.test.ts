import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS, ownTables } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { linkIn, recipientsOf } from '../helpers/mail';
import { RemoteBrowser } from '../helpers/remote-browser';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process';
import { createSharedContext, type SharedContext } from '../helpers/shared-database';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach } from '../helpers/test-app';

/**
 * docs/anonymity.md, rule 6: cases 5 to 8 of the anonymity issue, replayed on the real server: raters save
 * drafts and submit in a known order, the thank-you emails go out through a real SMTP server, and
 * a second later an administrator copies the data folder. The copy must not tell which response
 * is whose: no deleted draft in free pages or in the write-ahead log, no transaction in the log
 * tying an invitation to a response, no physical order of responses that follows the order of
 * submission, and no record anywhere of the moments raters answered.
 */
const RATERS = { manager: 1, peers: 5, reports: 4 };

describe.each(DATABASE_KINDS)('a copy of the data taken a second after the last submission (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: SharedContext;
  let coach: Coach;
  let round: Round;
  let server: ServerProcess;
  let copyDir: string;
  /** Recipients in the order they submitted. */
  const order: string[] = [];
  let answeringFrom = '';
  let answeringUntil = '';
  let copiedAt = '';

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const port = await freePort();
    context = await createSharedContext(kind, `http://127.0.0.1:${port}`);
    coach = await createCoach(context, { name: 'Files Coach' });
    ({ round } = await createRoundWithRaters(context, coach, RATERS, { deadlineDay: dayOf(addDays(new Date(), 14)) }));
    await launch(context, coach, round.id);
    server = await startServerProcess({ dataDir: context.dataDir, database: context.serverDatabase, port, smtpUrl: smtp.url });
    await smtp.waitFor(11, 20_000);
    // The server records each invitation as sent just after the SMTP server has it: wait for that too,
    // or a busy machine puts the invitations' sent_at inside the submission window below.
    await waitUntil('the invitations to be recorded as sent', async () => (await context.db.selectFrom('outbox').select('status').where('round_id', '=', round.id).execute()).every((row) => row.status === 'sent'));
    const links = smtp.messages.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')] as const);
    // A fixed order that is neither alphabetical nor the order of the invitations.
    const shuffled = [...links].sort(([a], [b]) => (a.split('').reverse().join('') < b.split('').reverse().join('') ? -1 : 1));
    answeringFrom = new Date().toISOString();
    for (const [index, [email, link]] of shuffled.entries()) {
      const rater = new RemoteBrowser(server.url);
      // Two drafts, each with its own marker, then the real answers with another text.
      expect((await answerSurvey(rater, link, () => 2, { q1: `draft-marker-${index}-first` }, 'save')).status).toBe(200);
      expect((await answerSurvey(rater, link, () => 'na', { q1: `draft-marker-${index}-second`, q2: 'draft-marker-more' }, 'save')).status).toBe(200);
      expect((await answerSurvey(rater, link, (_id, item) => ((item + index) % 5) + 1, { q1: `final-marker-${index}-end` })).status).toBe(200);
      order.push(email);
    }
    answeringUntil = new Date().toISOString();
    // Every thank-you delivered, then a second for the background checkpoint to empty the log.
    await smtp.waitFor(22, 20_000);
    await waitUntil('the thank-you messages to be forgotten', async () => (await context.db.selectFrom('outbox').select('id').where('kind', '=', 'survey-thanks').execute()).length === 0);
    await waitUntil('the new responses to be mixed', async () => (await context.db.selectFrom('responses').select('id').where('round_id', '=', round.id).where('mixed', '=', 0).execute()).length === 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    copiedAt = new Date().toISOString();
    copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-copy-'));
    for (const name of fs.readdirSync(context.dataDir)) {
      const source = path.join(context.dataDir, name);
      if (fs.statSync(source).isFile()) fs.copyFileSync(source, path.join(copyDir, name));
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await context?.close();
    await smtp?.stop();
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
  });

  const copied = (name: string) => (fs.existsSync(path.join(copyDir, name)) ? fs.readFileSync(path.join(copyDir, name)) : Buffer.alloc(0));

  it.runIf(kind === 'sqlite')('keeps no deleted draft, in free pages or in the write-ahead log (case 5)', () => {
    const files = fs.readdirSync(copyDir);
    expect(files).toContain('threesixty.sqlite');
    for (const name of files) expect(copied(name).includes('draft-marker'), name).toBe(false);
    // The drafts were there: the final answers are, and the drafts table is empty.
    expect(copied('threesixty.sqlite').includes('final-marker-0-end')).toBe(true);
    const database = new SQLite(path.join(copyDir, 'threesixty.sqlite'), { readonly: true });
    expect(database.prepare('select count(*) as n from drafts').get()).toEqual({ n: 0 });
    database.close();
  });

  it.runIf(kind === 'sqlite')('has emptied the write-ahead log, so no transaction ties an invitation to a response (case 7)', () => {
    expect(copied('threesixty.sqlite-wal').length).toBe(0);
  });

  it.runIf(kind === 'sqlite')('keeps responses in one b-tree keyed by round and random id, with no index whose leaves list them in order (case 6)', () => {
    // Where each cell sits inside that b-tree is checked against the order of submission in
    // test/survey/physical-order.test.ts, with enough responses for the comparison to mean something.
    const database = new SQLite(path.join(copyDir, 'threesixty.sqlite'), { readonly: true });
    const objects = database.prepare(`select type, name, sql from sqlite_schema where tbl_name = 'responses'`).all() as Array<{ type: string; name: string; sql: string | null }>;
    database.close();
    expect(objects.map((object) => object.type)).toEqual(['table']);
    expect(objects[0]!.sql).toMatch(/primary key \("round_id", "id"\)\) without rowid/i);
  });

  it('records nowhere when each rater answered: no thank-you message kept, no time of day in the submission window (case 8)', async () => {
    expect(await context.db.selectFrom('outbox').select('id').where('kind', '=', 'survey-thanks').execute()).toEqual([]);
    expect(await context.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
    const moments: string[] = [];
    for (const table of await ownTables(context.database)) {
      for (const row of (await context.db.selectFrom(table as 'rounds').selectAll().execute()) as Array<Record<string, unknown>>) {
        for (const value of Object.values(row)) {
          const text = value instanceof Date ? value.toISOString() : String(value ?? '');
          for (const match of text.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g)) {
            const instant = new Date(match[0].endsWith('Z') ? match[0] : `${match[0]}Z`).toISOString();
            if (instant >= answeringFrom && instant <= copiedAt) moments.push(`${table}: ${match[0]}`);
          }
        }
      }
    }
    expect(moments).toEqual([]);
    expect(answeringUntil > answeringFrom).toBe(true);
    // The invitations say who answered, by the day only.
    const completed = await context.db.selectFrom('invitations').select('status_on').where('round_id', '=', round.id).where('status', '=', 'completed').execute();
    expect(completed).toHaveLength(11);
    for (const row of completed) expect(row.status_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(server.errors()).toEqual([]);
  });
});


