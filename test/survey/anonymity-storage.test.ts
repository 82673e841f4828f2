import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { mixNewResponses } from '../../server/survey/survey.service';

async function columnsOf(context: TestContext, table: string): Promise<string[]> {
  if (context.kind === 'sqlite') {
    const result = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(context.db);
    return result.rows.map((row) => row.name);
  }
  const result = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(context.db);
  return result.rows.map((row) => row.column_name);
}

describe.each(DATABASE_KINDS)('anonymity at storage (%s)', (kind) => {
  let context: TestContext;
  let roundId: string;
  let submissionOrder: string[];

  beforeAll(async () => {
    context = await createTestContext(kind);
    const coach = await createCoach(context);
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 4, reports: 3 });
    roundId = round.id;
    await launch(context, coach, round.id);
    await deliverOutbox(context);
    const mails = await readEmlOutbox(context);
    submissionOrder = [];
    for (const [index, mail] of mails.entries()) {
      // A saved draft first, so we can check it is gone after submission.
      await answerSurvey(context.browser(), linkIn(mail, '/s/'), () => 3, {}, 'save');
      context.clock.advanceMinutes(7);
      const response = await answerSurvey(context.browser(), linkIn(mail, '/s/'), (_id, item) => ((item + index) % 5) + 1, { q1: `Comment ${index}` });
      expect(response.status).toBe(200);
      submissionOrder.push(recipientsOf(mail)[0]!);
    }
  });
  afterAll(() => context.close());

  it('keeps responses keyed by round and group only: no invitation, email, time or sequence column', async () => {
    // `version` is the published version a response joined: none while the round is open;
    // `mixed` says whether it was re-stored among the others yet (it is, within a second)
    expect((await columnsOf(context, 'responses')).sort()).toEqual(['answers', 'group_key', 'id', 'mixed', 'round_id', 'version']);
    const responses = await context.db.selectFrom('responses').selectAll().where('round_id', '=', roundId).execute();
    expect(responses).toHaveLength(9);
    expect(responses.every((response) => response.version === null)).toBe(true);
    const invitations = await context.db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).execute();
    const identifying = new Set(invitations.flatMap((invitation) => [invitation.id, invitation.email, invitation.name, invitation.status_on ?? '']));
    for (const response of responses) {
      const text = JSON.stringify(response);
      for (const value of identifying) if (value) expect(text).not.toContain(value);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });

  it('uses random ids, so neither ids nor the natural row order follow the order of submission', async () => {
    const ids = (await context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).execute()).map((row) => row.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // On SQLite the table is clustered by round and random id: an unordered scan returns id order.
    if (kind === 'sqlite') {
      const scan = await sql<{ id: string }>`select id from responses where round_id = ${roundId}`.execute(context.db);
      expect(scan.rows.map((row) => row.id)).toEqual([...ids].sort());
    }
  });

  it('cannot be joined to invitations through any shared value but the round', async () => {
    const join = await sql<{ count: number }>`
      select count(*) as count from responses r join invitations i
        on i.id = r.id or i.email = r.answers or i.id = r.answers or i.status_on = r.group_key
      where r.round_id = ${roundId}`.execute(context.db);
    expect(Number(join.rows[0]!.count)).toBe(0);
    // Within a group, nothing tells which completed invitation gave which response.
    const peersDone = await context.db.selectFrom('invitations').select('status_on').where('round_id', '=', roundId).where('group_key', '=', 'peers').execute();
    expect(peersDone.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(row.status_on ?? ''))).toBe(true);
  });

  it('deletes drafts when a response is submitted', async () => {
    expect(await context.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
  });

  it.runIf(kind === 'postgres')('leaves no trace of which transaction wrote which response (PostgreSQL xmin)', async () => {
    // once the background job has mixed them, they were all last written by its transaction
    await mixNewResponses(context.db);
    const rows = await sql<{ xmin: string }>`select xmin::text as xmin from responses where round_id = ${roundId}`.execute(context.db);
    expect(new Set(rows.rows.map((row) => row.xmin)).size).toBe(1);
  });
});
