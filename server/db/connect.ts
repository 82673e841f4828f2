import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index';
import { OwnSchemaPostgresDialect } from './own-schema-introspector';
import type { Database } from './schema';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | {
      kind: 'sqlite';
      file: string;
      /** For the long-running server: checkpoint the WAL from a worker thread instead of inside commits. */
      backgroundCheckpoints?: boolean;
    }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/**
 * Opens SQLite (a file, or ':memory:') or PostgreSQL. SQLite gets WAL so readers never wait for the
 * writer, foreign keys (off by default in SQLite), and a busy timeout so a second process sharing
 * the file waits for the lock instead of failing.
 *
 * A copy of the files must not tell who answered what (docs/anonymity.md, rule 6): `secure_delete`
 * overwrites what a delete frees (a draft deleted at submission, the old place of a re-stored
 * response) instead of leaving it readable in free space, and the background checkpointer empties
 * the write-ahead log once writing stops, so past transactions (a draft, a submission and the
 * invitation it completed) do not linger in it.
 */
export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const connection = new SQLite(target.file);
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('secure_delete = ON');
    const checkpointer = target.backgroundCheckpoints && target.file !== ':memory:' ? startCheckpointer(connection, target.file) : undefined;
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
    return {
      db,
      kind: 'sqlite',
      close: async () => {
        await checkpointer?.terminate();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

const CHECKPOINT_EVERY_MS = 250;
const require = createRequire(import.meta.url);

/**
 * SQLite checkpoints the WAL inside whichever commit crosses 1,000 pages: that request then copies
 * pages into the database file and waits for an fsync, a stall of tens of milliseconds. The server
 * turns that off for its connection and checkpoints from a worker thread with a connection of its
 * own instead; a PASSIVE checkpoint never blocks the writer.
 *
 * Once writing stops (a PASSIVE checkpoint finds everything copied and no frame added since the
 * previous tick), a TRUNCATE checkpoint empties the log file: it would otherwise keep the last
 * transactions (which rows a submission wrote together) until the next write, possibly for hours.
 * With nothing left to copy it only takes the write lock for a truncate; with a zero busy timeout
 * it gives up at once when a reader or writer is busy, and tries again on the next tick. It is not
 * tried while writes keep coming: each try would make the writers of that moment wait.
 */
function startCheckpointer(connection: SQLite.Database, file: string): Worker {
  connection.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const SQLite = require(workerData.driver);
     const db = new SQLite(workerData.file);
     db.pragma('busy_timeout = 0');
     let previousLog = -1;
     const timer = setInterval(() => {
       try {
         const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
         const idle = passive.log === previousLog;
         previousLog = passive.log;
         if (idle && passive.log > 0 && passive.checkpointed === passive.log) db.pragma('wal_checkpoint(TRUNCATE)');
       } catch (error) { clearInterval(timer); parentPort.postMessage(String(error)); }
     }, workerData.everyMs);`,
    {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3'), everyMs: CHECKPOINT_EVERY_MS },
      // It allocates next to nothing; V8's default heap sizes for a thread would only hold memory.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
    },
  );
  // Without working checkpoints the WAL would grow without bound: fall back to checkpoints inside
  // commits if the worker dies or a checkpoint fails (a PASSIVE one only fails on real I/O trouble).
  const fallBack = () => {
    if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
    void worker.terminate();
  };
  worker.on('error', fallBack);
  worker.on('message', fallBack);
  worker.unref();
  return worker;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every statement anew, and preparing costs as much as running a short query.
 * The SQL text of a query is the same on every request (only parameters differ), so keep the
 * prepared statements, the oldest dropped first beyond a bound.
 */
function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = connection.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * Brings the schema to the newest migration; throws with the failing migration's name. On
 * PostgreSQL the migrator's own tables are pinned to the connection's current schema: left alone,
 * Kysely would find them in any schema of the database and skip creating its own.
 */
export async function migrateToLatest(handle: Pick<DatabaseHandle, 'db' | 'kind'>): Promise<void> {
  const db = handle.db;
  const migrationTableSchema =
    handle.kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}

/** Whether a handle (or transaction) talks to PostgreSQL, for the few statements SQLite lacks (row locks). */
export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A cheap round trip that proves the database answers. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
