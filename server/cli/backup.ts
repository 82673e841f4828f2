import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config';

const USAGE = `Usage: npm run backup -- FILE

Copies the SQLite database (DATA_DIR/threesixty.sqlite) to FILE, a new file, while the server
keeps running. Restore: stop the server, copy FILE to DATA_DIR/threesixty.sqlite, start it again.`;

/** Every page in one step: the copy reads one snapshot, so concurrent writes never restart it. */
const ALL_PAGES = 0x7fffffff;

function fail(message: string, code = 1): number {
  console.error(message);
  return code;
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  if (args.length !== 1 || !args[0]!.trim() || args[0] === '--help' || args[0] === '-h') return fail(USAGE, 2);

  const config = loadConfig();
  if (config.database.kind === 'postgres') {
    return fail(
      'DATABASE_URL points at PostgreSQL, and this command copies the SQLite database only.\n' +
        'Back up PostgreSQL with its own tool, pg_dump, for example:\n\n' +
        '    pg_dump --format=custom --file=threesixty.dump "$DATABASE_URL"\n\n' +
        'and restore with pg_restore.',
      2,
    );
  }
  const source = config.database.file;
  const target = path.resolve(args[0]!);
  if (!fs.existsSync(source)) return fail(`There is no database at ${source}. Check DATA_DIR (now ${config.dataDir}).`);
  if (fs.existsSync(target)) return fail(`${target} already exists. Choose a new file name; nothing was written.`);
  if (!fs.existsSync(path.dirname(target))) return fail(`The folder ${path.dirname(target)} does not exist; nothing was written.`);

  const started = Date.now();
  // The server keeps its own connection; this one only reads. In WAL mode neither waits for the other.
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    await database.backup(target, { progress: () => ALL_PAGES });
  } catch (error) {
    fs.rmSync(target, { force: true });
    return fail(`The backup failed: ${error instanceof Error ? error.message : String(error)}. Nothing was kept at ${target}.`);
  } finally {
    database.close();
  }

  // A self-contained file (no -wal beside it), readable by its owner only: it holds every answer.
  const copy = new SQLite(target, { fileMustExist: true });
  let integrity: unknown;
  try {
    copy.pragma('journal_mode = DELETE');
    integrity = copy.pragma('integrity_check', { simple: true });
  } finally {
    copy.close();
  }
  fs.chmodSync(target, 0o600);
  if (integrity !== 'ok') return fail(`The copy at ${target} failed its integrity check (${String(integrity)}); do not rely on it.`);

  const size = fs.statSync(target).size;
  console.log(`Backed up ${source} to ${target} (${formatSize(size)}) in ${Date.now() - started} ms: one consistent snapshot, taken without stopping the server; integrity check: ok.`);
  console.log(`To restore: stop the server, copy the file to ${path.join(config.dataDir, 'threesixty.sqlite')} (remove threesixty.sqlite-wal and threesixty.sqlite-shm there if present), and start the server.`);
  console.log('The file holds every answer and email address: keep it as confidential as the server itself.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
