import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../server/db/connect';

describe('background WAL checkpoints (the server on SQLite)', () => {
  let handle: DatabaseHandle | undefined;
  let directory: string | undefined;

  afterEach(async () => {
    await handle?.close();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Writes about 1 MiB in one table, far below the 1,000 pages at which SQLite would checkpoint in a commit. */
  async function writeAMebibyte(database: DatabaseHandle): Promise<void> {
    await sql`create table filler (body text not null)`.execute(database.db);
    for (let row = 0; row < 256; row += 1) await sql`insert into filler (body) values (${'x'.repeat(4096)})`.execute(database.db);
  }

  async function fileSizeAfter(file: string, waitMs: number, atLeast: number): Promise<number> {
    const until = Date.now() + waitMs;
    while (fs.statSync(file).size < atLeast && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    return fs.statSync(file).size;
  }

  it('move committed pages from the WAL into the database file without any request doing it', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-checkpoints-'));
    const file = path.join(directory, 'threesixty.sqlite');
    handle = openDatabase({ kind: 'sqlite', file, backgroundCheckpoints: true });
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(handle.db)).rows[0]?.wal_autocheckpoint).toBe(0);
    await writeAMebibyte(handle);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1024 * 1024);
    expect(await fileSizeAfter(file, 5000, 1024 * 1024)).toBeGreaterThan(1024 * 1024);
  });

  it('are not there for short-lived processes (tests, CLIs): pages stay in the WAL until SQLite checkpoints', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-checkpoints-'));
    const file = path.join(directory, 'threesixty.sqlite');
    handle = openDatabase({ kind: 'sqlite', file });
    await writeAMebibyte(handle);
    expect(await fileSizeAfter(file, 1000, 1024 * 1024)).toBeLessThan(1024 * 1024);
  });
});
