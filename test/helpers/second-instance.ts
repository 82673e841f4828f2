import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/db/connect';
import { TEST_ORIGIN } from './http-client';
import { assembleTestContext, type TestContext } from './test-app';

/**
 * Another app instance on the same database as `first`, as a second server would run it: its own
 * database handle (a second connection to the SQLite file, or a second pool on the PostgreSQL
 * schema), its own app and in-memory state, the same clock. Closing it closes only its handle.
 */
export async function secondInstance(first: TestContext, env: Record<string, string> = {}): Promise<TestContext> {
  const location = first.database.location;
  const handle = location.kind === 'sqlite' ? openDatabase({ kind: 'sqlite', file: location.file }) : openDatabase({ kind: 'postgres', url: location.url, schema: location.schema, poolSize: 5 });
  return assembleTestContext({
    kind: first.kind,
    database: { ...handle, location, destroy: () => handle.close() },
    clock: first.clock,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-second-')),
    env: { PUBLIC_URL: TEST_ORIGIN, ...env },
  });
}
