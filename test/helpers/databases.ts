import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type DatabaseKind } from '../../server/db/connect';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL points at a server. */
export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends DatabaseHandle {
  /** For SQLite: the file; a second process or connection can open it. For PostgreSQL: url + schema. */
  location: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  destroy(): Promise<void>;
}

/**
 * A fresh database, migrated unless `migrated: false` (for migration tests): a new SQLite file in a temporary folder, or a new schema in the
 * PostgreSQL test database, so test files never see each other's rows.
 */
export async function createTestDatabase(kind: DatabaseKind, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrated === false ? async () => {} : migrateToLatest;
  if (kind === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-test-'));
    const file = path.join(directory, 'test.sqlite');
    const handle = openDatabase({ kind: 'sqlite', file });
    await migrate(handle);
    return {
      ...handle,
      location: { kind: 'sqlite', file },
      destroy: async () => {
        await handle.close();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase({ kind: 'postgres', url, schema, poolSize: 5 });
  await migrate(handle);
  return {
    ...handle,
    location: { kind: 'postgres', url, schema },
    destroy: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** The tables of this test database, without Kysely's own (PostgreSQL introspection only reads the connection's schema). */
export async function ownTables(database: TestDatabase): Promise<string[]> {
  const tables = await database.db.introspection.getTables();
  return tables.filter((table) => !table.name.startsWith('kysely_')).map((table) => table.name).sort();
}
