import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaunchedRounds } from '../../server/survey/launched-rounds';
import { DATABASE_KINDS } from '../helpers/databases';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

/** Counts the statements a database handle runs. */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe.each(DATABASE_KINDS)('the cache of launched rounds (%s)', (kind) => {
  let context: TestContext;
  const launched: Array<{ id: string; launchedAt: string }> = [];

  beforeAll(async () => {
    context = await createTestContext(kind);
    const coach = await createCoach(context);
    for (let index = 0; index < 2; index += 1) {
      const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
      await launch(context, coach, round.id);
      const row = await context.db.selectFrom('rounds').select(['id', 'launched_at']).where('id', '=', round.id).executeTakeFirstOrThrow();
      launched.push({ id: row.id, launchedAt: row.launched_at! });
    }
  });
  afterAll(() => context.close());

  it('reads a round once for a burst of first visits, then serves it from memory', async () => {
    const counter = new StatementCounter();
    const db = context.db.withPlugin(counter);
    const rounds = new LaunchedRounds();
    const [first] = launched;
    const burst = await Promise.all(Array.from({ length: 10 }, () => rounds.get(db, first!.id, first!.launchedAt)));
    const readsForOneRound = counter.count;
    expect(readsForOneRound).toBeGreaterThan(0);
    expect(new Set(burst).size).toBe(1);
    expect(burst[0]!.groups.map((group) => group.key)).toContain('peers');
    expect(burst[0]!.questionnaire.competencies.length).toBeGreaterThan(0);
    expect(await rounds.get(db, first!.id, first!.launchedAt)).toBe(burst[0]);
    expect(counter.count).toBe(readsForOneRound);
  });

  it('keeps nothing for a round without a snapshot, and forgets the least recently used round beyond its capacity', async () => {
    const counter = new StatementCounter();
    const db = context.db.withPlugin(counter);
    const rounds = new LaunchedRounds(1);
    expect(await rounds.get(db, 'no-such-round', 'never')).toBeUndefined();
    expect(await rounds.get(db, 'no-such-round', 'never')).toBeUndefined();
    expect(counter.count).toBe(4);

    const [first, second] = launched;
    await rounds.get(db, first!.id, first!.launchedAt);
    await rounds.get(db, first!.id, first!.launchedAt);
    expect(counter.count).toBe(6);
    await rounds.get(db, second!.id, second!.launchedAt);
    await rounds.get(db, first!.id, first!.launchedAt);
    expect(counter.count).toBe(10);
  });
});
