import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect';
import { verifyPassword } from '../../server/auth/password';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-cli-'));

function runCli(args: string[], input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/coach.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    timeout: 60_000,
  });
}

describe('npm run coach -- create', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the first account as administrator, with the password from stdin', async () => {
    const result = runCli(['create', '--email', 'Head.Coach@Example.com', '--name', 'Head Coach'], 'a very good password\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Created administrator account for Head Coach <head.coach@example.com>');

    const second = runCli(['create', '--email', 'assistant@example.com', '--name', 'Assistant'], 'another good password\n');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Created coach account');

    const database = openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'threesixty.sqlite') });
    const rows = await database.db.selectFrom('coaches').selectAll().orderBy('created_at').execute();
    await database.close();
    expect(rows.map((row) => [row.email, row.is_admin])).toEqual([
      ['head.coach@example.com', 1],
      ['assistant@example.com', 0],
    ]);
    expect(await verifyPassword('a very good password', rows[0]!.password_hash)).toBe(true);
    expect(rows[0]!.password_hash).not.toContain('a very good password');
  });

  it('explains bad input and creates nothing', () => {
    const weak = runCli(['create', '--email', 'x@example.com', '--name', 'X'], 'short\n');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('password: Password must be at least 10 characters.');
    const duplicate = runCli(['create', '--email', 'head.coach@example.com', '--name', 'Again'], 'a very good password\n');
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('An account with this email already exists.');
    const usage = runCli(['delete'], '');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run coach -- create');
  });
});
