import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/secrets';
import { insertResponse } from '../../server/survey/survey.repository';
import { MIX_BATCH, mixNewResponses } from '../../server/survey/survey.service';
import { createRoundWithRaters } from '../helpers/rounds';
import { leafCells, placementTau } from '../helpers/sqlite-pages';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

/**
 * docs/anonymity.md, rule 6: a response's place in the database file must not tell when it came. SQLite fills a
 * page's cell area from its end, so rows written once, one by one, sit in the order they came; this
 * reads the pages of the responses table straight from the file (as someone with a copy would) and
 * compares where each cell sits with when it was submitted.
 */
describe('where responses sit in the SQLite file', () => {
  let context: TestContext;
  let file: string;
  const RESPONSES = 24;

  beforeAll(async () => {
    context = await createTestContext('sqlite');
    if (context.database.location.kind !== 'sqlite') throw new Error('SQLite only');
    file = context.database.location.file;
  });
  afterAll(() => context.close());

  async function roundCells(roundId: string) {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(context.db);
    const root = await sql<{ rootpage: number }>`select rootpage from sqlite_schema where name = 'responses'`.execute(context.db);
    return leafCells(fs.readFileSync(file), root.rows[0]!.rootpage).filter((cell) => cell.values[0] === roundId);
  }

  async function newRound(): Promise<string> {
    const coach = await createCoach(context);
    return (await createRoundWithRaters(context, coach, { peers: 3 })).round.id;
  }

  const answers = (index: number) => ({ ratings: { c1i1: (index % 5) + 1 }, comments: { q1: `response ${index}` } });

  it('written once each, one by one, the cells of a page give the order of submission away (the attack works)', async () => {
    const roundId = await newRound();
    const submittedAt = new Map<string, number>();
    for (let index = 0; index < RESPONSES; index++) {
      const id = newId();
      submittedAt.set(id, index);
      await context.db.insertInto('responses').values({ id, round_id: roundId, group_key: 'peers', answers: JSON.stringify(answers(index)), version: null }).execute();
    }
    const cells = await roundCells(roundId);
    expect(cells).toHaveLength(RESPONSES);
    expect(placementTau(cells, (cell) => submittedAt.get(cell.values[1] as string)!)).toBeGreaterThan(0.9);
  });

  it('stored by insertResponse and mixed as the server does every second, they sit in no such order', async () => {
    expect(RESPONSES).toBeLessThanOrEqual(MIX_BATCH);
    const roundId = await newRound();
    const submittedAt = new Map<string, number>();
    for (let index = 0; index < RESPONSES; index++) {
      const id = newId();
      submittedAt.set(id, index);
      await context.db.transaction().execute((trx) => insertResponse(trx, { id, roundId, groupKey: 'peers', answers: answers(index) }));
      // the background job runs now and then: after every third submission here
      if (index % 3 === 2) await mixNewResponses(context.db);
    }
    await mixNewResponses(context.db);
    expect(await context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('mixed', '=', 0).execute()).toEqual([]);
    const cells = await roundCells(roundId);
    expect(cells).toHaveLength(RESPONSES);
    // For 24 cells in a random order, |tau| >= 0.6 has a probability of about 1 in 25,000.
    expect(Math.abs(placementTau(cells, (cell) => submittedAt.get(cell.values[1] as string)!))).toBeLessThan(0.6);
  });

  it('in a round larger than one batch, every new response is mixed among others picked at random', async () => {
    const roundId = await newRound();
    const ids: string[] = [];
    for (let index = 0; index < MIX_BATCH + 10; index++) {
      const id = newId();
      ids.push(id);
      await context.db.transaction().execute((trx) => insertResponse(trx, { id, roundId, groupKey: 'peers', answers: answers(index) }));
    }
    const unmixed = async () => (await context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('mixed', '=', 0).execute()).length;
    // One pass mixes a full batch; the 10 left wait for the next pass (the job runs every second).
    await mixNewResponses(context.db);
    expect(await unmixed()).toBe(10);
    await mixNewResponses(context.db);
    expect(await unmixed()).toBe(0);
    expect(await context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).execute()).toHaveLength(MIX_BATCH + 10);
    const round = await context.db.selectFrom('rounds').select('responses_to_mix').where('id', '=', roundId).executeTakeFirstOrThrow();
    expect(round.responses_to_mix).toBe(0);
  });
});
