import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import type { Round } from '../../server/rounds/rounds.types';
import { mixNewResponses } from '../../server/survey/survey.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { answerSurvey, launch } from '../helpers/rounds';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { leafCells, placementTau } from '../helpers/sqlite-pages';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { mailsTo, portalEntries, roundsSharingRaters, shortQuestionnaire } from './practice';

const RATERS = 12;
const raterEmail = (index: number) => `rater-${String(index).padStart(2, '0')}@northwind.example`;

/** Kendall's tau between two rankings of the same items. */
function kendallTau<T>(items: readonly T[], first: (item: T) => number, second: (item: T) => number): number {
  let score = 0;
  let pairs = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      score += Math.sign(first(items[i]!) - first(items[j]!)) * Math.sign(second(items[i]!) - second(items[j]!));
      pairs += 1;
    }
  }
  return score / pairs;
}

/**
 * docs/anonymity.md, rule 6, with the portal: 24 people are each asked about the same three clients
 * of one coach; each opens their one page and answers the three surveys one after another, so their
 * three answers are written within moments of each other. Afterwards the database (read as a coach
 * or an administrator with a copy of the files would) must not tell which three responses are one
 * person's: no value they share that others do not, nothing elsewhere that points at them, nothing
 * dated by the submissions finer than the day, and a place in the file that does not follow the
 * order of submission once the background job has mixed them.
 */
describe.each(DATABASE_KINDS)('what the database keeps of three surveys answered from one page (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let coach: Coach;
  let rounds: Round[];
  /** Response id → who wrote it (rater index) and in which order it was submitted. */
  const written = new Map<string, { rater: number; order: number }>();
  let answeredFrom = '';
  /** Every row of every table (as JSON) just before the answers came. */
  let beforeAnswers = new Map<string, Set<string>>();

  async function tableNames(): Promise<string[]> {
    const rows =
      kind === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'`.execute(context.db)).rows
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(context.db)).rows;
    return rows.map((row) => row.name).filter((name) => !name.startsWith('kysely_'));
  }

  async function everyRow(): Promise<Map<string, Set<string>>> {
    const tables = new Map<string, Set<string>>();
    for (const table of await tableNames()) tables.set(table, new Set((await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(context.db)).rows.map((row) => JSON.stringify(row))));
    return tables;
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom), env: DEPLOYED_SURVEY_EMAIL_HOLD });
    coach = await createCoach(context);
    const shared = Array.from({ length: RATERS }, (_, index) => `${raterEmail(index)},Rater ${index},peers`);
    // Two statements: small rows keep in the file the order they were written in (the attack at its strongest).
    rounds = await roundsSharingRaters(context, coach, shared, {}, { questionnaireId: await shortQuestionnaire(context, coach) });
    for (const round of rounds) await launch(context, coach, round.id);
    context.clock.advanceMinutes(5);
    await deliverOutbox(context);
    await smtp.waitFor(RATERS + 3);
    // The answers come the next day: anything written by them carries a later date than the launch.
    context.clock.advanceDays(1);
    answeredFrom = context.clock.now().toISOString().slice(0, 10);
    beforeAnswers = await everyRow();
    let order = 0;
    for (let rater = 0; rater < RATERS; rater++) {
      const browser = context.browser();
      const [mail] = mailsTo(smtp.messages, raterEmail(rater));
      const entries = portalEntries((await browser.get(linkIn(mail!, '/p/'))).text);
      expect(entries).toHaveLength(3);
      for (const entry of entries) {
        expect((await answerSurvey(browser, entry.href!, (_id, item) => ((item + rater) % 5) + 1)).status).toBe(200);
        // The one response not seen before is the one just written.
        const rows = await context.db.selectFrom('responses').select('id').execute();
        const [fresh, ...more] = rows.filter((row) => !written.has(row.id));
        expect(more).toEqual([]);
        written.set(fresh!.id, { rater, order: order++ });
      }
    }
  });
  afterAll(async () => {
    await context.close();
    await smtp.stop();
  });

  /**
   * How closely where the responses sit follows when they were submitted (1: exactly, 0: not at
   * all): SQLite's leaf cells read from the file (pairs in the same page), PostgreSQL's physical row
   * order (ctid). Each person's three answers were submitted one after another, so a placement that
   * follows submission puts them side by side.
   */
  async function placementFollowsSubmission(): Promise<number> {
    const order = (id: string) => written.get(id)!.order;
    if (context.database.location.kind === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(context.db);
      const root = await sql<{ rootpage: number }>`select rootpage from sqlite_schema where name = 'responses'`.execute(context.db);
      const cells = leafCells(fs.readFileSync(context.database.location.file), root.rows[0]!.rootpage);
      expect(cells).toHaveLength(RATERS * 3);
      // One page holds them all, so no page split has rewritten any in key order: the attack at its strongest.
      expect(new Set(cells.map((cell) => cell.page)).size).toBe(1);
      return placementTau(cells, (cell) => order(cell.values[1] as string));
    }
    const rows = (await sql<{ id: string }>`select id from responses order by ctid`.execute(context.db)).rows;
    expect(rows).toHaveLength(RATERS * 3);
    return kendallTau(rows.map((row, index) => ({ index, order: order(row.id) })), (row) => row.index, (row) => row.order);
  }

  it('before the background job runs, the responses sit in the order they came, each person\'s three side by side (what the job is for)', async () => {
    expect(await placementFollowsSubmission()).toBeGreaterThan(0.9);
  });

  it('once mixed, where a response sits says nothing of when it came, nor whose other answers sit near it', async () => {
    await deliverOutbox(context); // the thank-yous
    await mixNewResponses(context.db);
    expect(await context.db.selectFrom('responses').select('id').where('mixed', '=', 0).execute()).toEqual([]);
    // For 36 responses in an order unrelated to submission, |tau| >= 0.6 has a probability well under 1 in 10,000.
    expect(Math.abs(await placementFollowsSubmission())).toBeLessThan(0.6);
    if (kind === 'postgres') {
      const writers = await sql<{ xmin: string }>`select distinct xmin::text as xmin, round_id from responses`.execute(context.db);
      expect(writers.rows).toHaveLength(rounds.length); // one mixing transaction per round wrote all of its rows
    }
  });

  it('keeps no column value that one person\'s three responses share and others do not', async () => {
    const responses = await context.db.selectFrom('responses').selectAll().execute();
    expect(responses).toHaveLength(RATERS * 3);
    const columns = Object.keys(responses[0]!).filter((column) => column !== 'answers' && column !== 'id').sort();
    expect(columns).toEqual(['group_key', 'mixed', 'round_id', 'version']);
    const profile = (rater: number) =>
      columns.map((column) => responses.filter((row) => written.get(row.id)!.rater === rater).map((row) => String(row[column as keyof typeof row])).sort().join('|'));
    // Every person's three responses look alike in every column but the answers: one per round, the same group, version and state.
    for (let rater = 1; rater < RATERS; rater++) expect(profile(rater)).toEqual(profile(0));
    expect(new Set(responses.map((row) => row.id)).size).toBe(RATERS * 3);
    for (const row of responses) expect(row.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('names no response anywhere else, and dates nothing the answers wrote finer than the day', async () => {
    const afterAnswers = await everyRow();
    expect([...afterAnswers.keys()]).toEqual(expect.arrayContaining(['portal_links', 'portal_link_invitations', 'outbox', 'drafts', 'invitations', 'invitation_tokens']));
    for (const [table, rows] of afterAnswers) {
      if (table === 'responses') continue;
      const text = [...rows].join('\n');
      for (const id of written.keys()) expect(text, `${table} names a response`).not.toContain(id);
      // Rows the answers wrote or changed: a moment in them (not a day) would date an answer.
      const changed = [...rows].filter((row) => !beforeAnswers.get(table)?.has(row)).join('\n');
      expect(changed.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g) ?? [], `${table} dates the answers`).toEqual([]);
    }
    // The answers did write: each invitation's status and the notice confirmed, by the day; the survey links the page handed out.
    expect([...afterAnswers.get('invitations')!].filter((row) => !beforeAnswers.get('invitations')!.has(row))).toHaveLength(RATERS * 3);
    expect(afterAnswers.get('invitation_tokens')!.size - beforeAnswers.get('invitation_tokens')!.size).toBe(RATERS * 3);
  });

  it('keeps in drafts, outbox and invitations only what it kept before the portal: each invitation\'s status by the day', async () => {
    expect(await context.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
    // The thank-yous were forgotten once sent; what stays are the invitations, sent before anyone answered.
    const messages = await context.db.selectFrom('outbox').select(['kind', 'created_at', 'message', 'action_url']).execute();
    expect(new Set(messages.map((message) => message.kind))).toEqual(new Set(['survey-invitation']));
    expect(messages.every((message) => message.created_at < answeredFrom && message.message === null && message.action_url === null)).toBe(true);
    const invitations = await context.db.selectFrom('invitations').select(['status', 'status_on', 'notice_read_on', 'last_reminded_on']).where('email', 'like', 'rater-%').execute();
    expect(invitations).toHaveLength(RATERS * 3);
    expect(invitations.every((row) => row.status === 'completed' && row.status_on === answeredFrom && row.notice_read_on === answeredFrom && row.last_reminded_on === null)).toBe(true);
    // The page's links and the rater's links: hashes and invitations, nothing else.
    expect(Object.keys((await context.db.selectFrom('portal_links').selectAll().executeTakeFirstOrThrow())).sort()).toEqual(['coach_id', 'id', 'outbox_id', 'token_hash']);
    expect(Object.keys((await context.db.selectFrom('portal_link_invitations').selectAll().executeTakeFirstOrThrow())).sort()).toEqual(['invitation_id', 'link_id']);
    expect(Object.keys((await context.db.selectFrom('invitation_tokens').selectAll().executeTakeFirstOrThrow())).sort()).toEqual(['invitation_id', 'token_hash']);
  });
});
