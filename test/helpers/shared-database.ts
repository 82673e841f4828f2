import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../../server/db/connect';
import { deliverDueMessages, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type DeliveryTally } from '../../server/mail/outbox.worker';
import type { Mailer } from '../../server/mail/mailer';
import { TestClock } from './clock';
import { createTestDatabase, type TestDatabase } from './databases';
import type { ServerDatabase } from './server-process';
import { assembleTestContext, type TestContext } from './test-app';

export interface SharedContext extends TestContext {
  /** What a server process needs to open the same database (with `dataDir` as its DATA_DIR). */
  serverDatabase: ServerDatabase;
}

/**
 * A database that server processes and the test share: SQLite at DATA_DIR/threesixty.sqlite (where
 * the server looks for it), or a fresh PostgreSQL schema. The returned context is a TestContext on
 * that database, for seeding through the services; its clock starts at the real time, because the
 * server processes run on the real clock, and its links point at `publicUrl`.
 */
export async function createSharedContext(kind: DatabaseKind, publicUrl: string): Promise<SharedContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-fault-'));
  let database: TestDatabase;
  if (kind === 'sqlite') {
    const file = path.join(dataDir, 'threesixty.sqlite');
    const handle = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(handle);
    database = { ...handle, location: { kind: 'sqlite', file }, destroy: () => handle.close() };
  } else {
    database = await createTestDatabase('postgres');
  }
  const location = database.location;
  // The server process keeps its own .eml files in DATA_DIR/outbox; the test's go next to them.
  const context = await assembleTestContext({ kind, database, clock: new TestClock(new Date().toISOString()), dataDir, env: { PUBLIC_URL: publicUrl }, outboxFolder: 'test-outbox' });
  return {
    ...context,
    serverDatabase: location.kind === 'sqlite' ? { kind: 'sqlite' } : { kind: 'postgres', url: location.url, schema: location.schema },
  };
}

/**
 * Runs one pass of the outbox worker in the test process, as another instance would, at a moment
 * of the test's choosing (e.g. after a claim has expired) and through the given mailer.
 */
export function deliverAt(context: TestContext, at: Date, mailer: Mailer, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): Promise<DeliveryTally> {
  const clock = new TestClock(at.toISOString());
  return deliverDueMessages({ db: context.db, dbKind: context.kind, clock, mailer, logger: context.logger }, policy);
}
