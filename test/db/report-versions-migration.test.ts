import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../server/db/migrations/index';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/databases';

/**
 * The migration that introduced report versions, on data written before it: a closed round with
 * enough responses gets version 1 with every response, its release points at it, and the
 * invitations per group are kept with the version; a closed round with too few, and an open round,
 * get none.
 */
describe.each(DATABASE_KINDS)('the report-versions migration on existing data (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.destroy());

  function migrator(db: Kysely<unknown>, schema?: string) {
    return new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  }

  it('publishes version 1 of closed rounds that had a report, and nothing else', async () => {
    database = await createTestDatabase(kind, { migrated: false });
    const db = database.db as unknown as Kysely<any>;
    const schema = database.location.kind === 'postgres' ? database.location.schema : undefined;
    expect((await migrator(db, schema).migrateTo('2026-11-21-05-api-tokens')).error).toBeUndefined();

    await db.insertInto('coaches').values({ id: 'c', email: 'c@example.com', name: 'C', password_hash: 'x', is_admin: 1, created_at: '2026-01-01T00:00:00Z' }).execute();
    await db.insertInto('engagements').values({ id: 'e', coach_id: 'c', client_name: 'J', client_email: 'j@example.com', start_date: '2026-01-01', stage: 'assessment', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).execute();
    const round = (id: string, status: string) => ({ id, coach_id: 'c', engagement_id: 'e', purpose: 'baseline', status, deadline: '2026-02-01T23:59:59.999Z', k: 3, created_at: '2026-01-01T00:00:00Z', closed_at: status === 'closed' ? '2026-02-02T10:11:12.345Z' : null });
    await db.insertInto('rounds').values([round('ready', 'closed'), round('thin', 'closed'), round('open', 'open')]).execute();
    for (const id of ['ready', 'thin', 'open']) {
      await db.insertInto('round_groups').values([
        { round_id: id, key: 'self', label: 'Self', minimum: 1, anonymous: 0, is_self: 1, position: 0 },
        { round_id: id, key: 'peers', label: 'Peers', minimum: 3, anonymous: 1, is_self: 0, position: 1 },
      ]).execute();
    }
    const invitations = [['ready', 'self', 'completed'], ['ready', 'peers', 'completed'], ['ready', 'peers', 'completed'], ['ready', 'peers', 'completed'], ['ready', 'peers', 'invited'], ['ready', 'peers', 'pending'], ['thin', 'peers', 'completed']];
    await db.insertInto('invitations').values(invitations.map(([roundId, group, status], index) => ({ id: `i${index}`, round_id: roundId, group_key: group, email: `r${index}@example.com`, status, position: index }))).execute();
    const responses = [['ready', 'self'], ['ready', 'peers'], ['ready', 'peers'], ['ready', 'peers'], ['thin', 'peers'], ['open', 'peers'], ['open', 'peers'], ['open', 'peers']];
    await db.insertInto('responses').values(responses.map(([roundId, group], index) => ({ id: `s${index}`, round_id: roundId, group_key: group, answers: '{"ratings":{},"comments":{}}' }))).execute();
    await db.insertInto('report_releases').values({ id: 'rel', round_id: 'ready', version: 1, note: '', report: '{}', token_hash: 'h', released_at: '2026-02-03T00:00:00Z', expires_at: '2026-05-03T00:00:00Z' }).execute();

    expect((await migrator(db, schema).migrateToLatest()).error).toBeUndefined();

    const rounds = await db.selectFrom('rounds').select(['id', 'published_version']).orderBy('id').execute();
    expect(rounds.map((row) => [row.id, Number(row.published_version)])).toEqual([['open', 0], ['ready', 1], ['thin', 0]]);
    const versions = await db.selectFrom('round_versions').selectAll().execute();
    expect(versions.map((row) => [row.round_id, Number(row.version), row.published_on, JSON.parse(row.invited)])).toEqual([['ready', 1, '2026-02-02', { self: 1, peers: 4 }]]);
    const tagged = await db.selectFrom('responses').select(['round_id', 'version']).execute();
    for (const row of tagged) expect([row.round_id, row.version === null ? null : Number(row.version)]).toEqual([row.round_id, row.round_id === 'ready' ? 1 : null]);
    expect(tagged).toHaveLength(8);
    const release = await db.selectFrom('report_releases').select('report_version').executeTakeFirstOrThrow();
    expect(Number(release.report_version)).toBe(1);
    if (kind === 'sqlite') {
      const indexes = await sql<{ name: string }>`select name from sqlite_schema where type = 'index' and tbl_name = 'responses'`.execute(db);
      // clustered by (round, id): no index of its own whose leaves would list a round's responses in order
      expect(indexes.rows).toEqual([]);
    }
  });
});
