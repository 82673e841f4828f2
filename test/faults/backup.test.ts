import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import type { Round } from '../../server/rounds/rounds.types';
import { freePort } from '../helpers/free-port';
import { RemoteBrowser, submitSurveyOverHttp } from '../helpers/remote-browser';
import { createRoundWithRaters, ITEM_IDS, launch } from '../helpers/rounds';
import { PROJECT_ROOT } from '../helpers/server-command';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { createSharedContext, type SharedContext } from '../helpers/shared-database';
import { createCoach } from '../helpers/test-app';

/** `npm run backup -- FILE` with the given environment; resolves when it exits. npm's own warnings are left out of stderr. */
function runBackup(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'backup', '--', ...args], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr: stderr.split('\n').filter((line) => !line.startsWith('npm warn')).join('\n').trim() }));
  });
}

/** The survey links of a round, read where the coach reads them when email is not configured. */
async function surveyLinks(context: SharedContext, roundId: string): Promise<string[]> {
  const rows = await context.db
    .selectFrom('outbox')
    .innerJoin('invitations', 'invitations.id', 'outbox.invitation_id')
    .select('outbox.action_url')
    .where('outbox.round_id', '=', roundId)
    .where('invitations.is_client', '=', 0)
    .execute();
  return rows.map((row) => new URL(row.action_url!).pathname);
}

describe('online backup and restore of the SQLite database', () => {
  let context: SharedContext;
  let coach: Coach;
  let closed: Round;
  let open: Round;
  let restoreDir: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const port = await freePort();
    context = await createSharedContext('sqlite', `http://127.0.0.1:${port}`);
    restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-restore-'));
    coach = await createCoach(context, { name: 'Backup Coach' });
    const deadlineDay = dayOf(addDays(new Date(), 14));
    ({ round: closed } = await createRoundWithRaters(context, coach, { manager: 1, peers: 4, reports: 3, others: 3 }, { deadlineDay }));
    ({ round: open } = await createRoundWithRaters(context, coach, { peers: 40 }, { deadlineDay, engagement: undefined }));
    await launch(context, coach, closed.id);
    await launch(context, coach, open.id);
    servers.push(await startServerProcess({ dataDir: context.dataDir, database: context.serverDatabase, port }));
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await context?.close();
    fs.rmSync(restoreDir, { recursive: true, force: true });
  });

  it('copies a consistent database while the server takes submissions, and the copy serves the report', async () => {
    const [live] = servers as [ServerProcess];
    const coachBrowser = await new RemoteBrowser(live.url).signIn(coach.email);
    // The first round: 9 of its 11 raters answer, then the coach closes it.
    const closedLinks = await surveyLinks(context, closed.id);
    const answered = await Promise.all(closedLinks.slice(0, 9).map((link) => submitSurveyOverHttp(live.url, link, ITEM_IDS)));
    expect(answered.every((status) => status === 200)).toBe(true);
    expect((await coachBrowser.post(`/rounds/${closed.id}/close`)).status).toBe(303);
    const before = await coachBrowser.get(`/rounds/${closed.id}/report`);
    expect(before.text).toContain('9 of 11 people invited gave feedback');

    // The backup runs while raters of the second round keep submitting.
    const backupFile = path.join(context.dataDir, 'backup.sqlite');
    const openLinks = await surveyLinks(context, open.id);
    let backupDone = false;
    const backup = runBackup([backupFile], { DATA_DIR: context.dataDir }).finally(() => (backupDone = true));
    // Until the backup has finished, the server keeps writing: a rater saves a draft over and
    // over, and the others submit, one after another.
    const [drafter, ...submitters] = openLinks as [string, ...string[]];
    const drafts = new RemoteBrowser(live.url);
    const during: Array<number | null> = [];
    let saves = 0;
    while (!backupDone) {
      expect((await drafts.post(drafter, { intent: 'save', 'r.c1i1': String((saves % 5) + 1) })).status).toBe(200);
      saves += 1;
      const next = submitters[during.length];
      if (next) during.push(await submitSurveyOverHttp(live.url, next, ITEM_IDS));
    }
    expect(saves).toBeGreaterThan(1);
    const result = await backup;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Backed up .*threesixty\.sqlite to .*backup\.sqlite \(\d+ KB\) in \d+ ms: one consistent snapshot, taken without stopping the server; integrity check: ok\./);
    expect(result.stdout).toContain('To restore: stop the server, copy the file to');
    expect(during.every((status) => status === 200)).toBe(true);
    expect(fs.statSync(backupFile).mode & 0o077).toBe(0);

    // The copy is consistent: every completed invitation has its response, in both rounds.
    const copy = new SQLite(backupFile, { readonly: true });
    try {
      for (const roundId of [closed.id, open.id]) {
        const responses = copy.prepare('select count(*) as n from responses where round_id = ?').get(roundId) as { n: number };
        const completed = copy.prepare("select count(*) as n from invitations where round_id = ? and status = 'completed'").get(roundId) as { n: number };
        expect(responses.n).toBe(completed.n);
      }
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      copy.close();
    }

    // Restore into a fresh DATA_DIR and start a server on it: the closed round's report is intact.
    fs.copyFileSync(backupFile, path.join(restoreDir, 'threesixty.sqlite'));
    const restored = await startServerProcess({ dataDir: restoreDir, database: { kind: 'sqlite' } });
    servers.push(restored);
    const restoredBrowser = await new RemoteBrowser(restored.url).signIn(coach.email);
    const report = await restoredBrowser.get(`/rounds/${closed.id}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('9 of 11 people invited gave feedback');
    expect(report.text).toContain(`${closed.id}/report.csv`);
    expect(restored.errors()).toEqual([]);
    expect(live.errors()).toEqual([]);
  }, 90_000);

  it('refuses to overwrite a file, and refuses PostgreSQL with a pointer to pg_dump', async () => {
    const existing = path.join(context.dataDir, 'exists.sqlite');
    fs.writeFileSync(existing, 'keep me');
    const overwrite = await runBackup([existing], { DATA_DIR: context.dataDir });
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('already exists');
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');

    const postgres = await runBackup([path.join(context.dataDir, 'pg.sqlite')], { DATA_DIR: context.dataDir, DATABASE_URL: 'postgres://user:secret@127.0.0.1:5432/threesixty' });
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('pg_dump');
    expect(postgres.stderr).not.toContain('secret');
    expect(fs.existsSync(path.join(context.dataDir, 'pg.sqlite'))).toBe(false);

    const usage = await runBackup([], { DATA_DIR: context.dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run backup -- FILE');
  }, 30_000);
});
