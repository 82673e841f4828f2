import { PostgresDialect, Kysely, type DatabaseIntrospector } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/connect';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/databases';

/**
 * Several installations (or the test suite's schemas) can share one PostgreSQL database. The
 * migrator's check for its own tables must neither see nor trip over another schema's tables while
 * that schema is being dropped or renamed.
 */
describe.skipIf(!DATABASE_KINDS.includes('postgres'))('introspection on a shared PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database?.destroy());

  /** Another tenant creating and dropping a schema with tables, as fast as it can, until `stop`. */
  async function churnOtherSchemas(stop: { done: boolean }): Promise<number> {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    let cycles = 0;
    try {
      while (!stop.done) {
        const schema = `churn_${process.pid}_${cycles}`;
        await client.query(`create schema ${schema}; create table ${schema}.a (id serial primary key, x text); create table ${schema}.b (id serial primary key)`);
        await client.query(`drop schema ${schema} cascade`);
        cycles += 1;
      }
    } finally {
      await client.end();
    }
    return cycles;
  }

  /** Up to `rounds` introspections while the churn runs; stops at the first failure. */
  async function introspectDuringChurn(introspector: DatabaseIntrospector, rounds: number): Promise<unknown[]> {
    const stop = { done: false };
    const churn = churnOtherSchemas(stop);
    const failures: unknown[] = [];
    for (let round = 0; round < rounds && failures.length === 0; round += 1) {
      await introspector.getTables({ withInternalKyselyTables: true }).catch((error: unknown) => failures.push(error));
    }
    stop.done = true;
    expect(await churn).toBeGreaterThan(0);
    return failures;
  }

  it('lists only its own schema, the migrator tables included', async () => {
    const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(new Set(tables.map((table) => table.schema))).toEqual(new Set([database.location.kind === 'postgres' ? database.location.schema : '']));
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['kysely_migration', 'engagements', 'responses']));
    const engagements = tables.find((table) => table.name === 'engagements')!;
    expect(engagements.columns.find((column) => column.name === 'id')).toMatchObject({ isNullable: false, dataType: 'text' });
    expect((await database.db.introspection.getTables()).some((table) => table.name.startsWith('kysely_'))).toBe(false);
  });

  it('never fails while another schema is dropped, where the stock introspector does', async () => {
    expect(await introspectDuringChurn(database.db.introspection, 150)).toEqual([]);
    // Control: the same churn against Kysely's own introspector, which reads every schema.
    const url = process.env.TEST_DATABASE_URL!;
    const schema = database.location.kind === 'postgres' ? database.location.schema : '';
    const stock = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` }) }) });
    try {
      const failures = await introspectDuringChurn(stock.introspection, 1000);
      expect(failures.length).toBeGreaterThan(0);
      expect(String(failures[0])).toMatch(/does not exist/);
    } finally {
      await stock.destroy();
    }
  });

  it('migrates again (nothing to do) while another schema is dropped', async () => {
    const stop = { done: false };
    const churn = churnOtherSchemas(stop);
    for (let round = 0; round < 10; round += 1) await migrateToLatest(database);
    stop.done = true;
    await churn;
  });
});
