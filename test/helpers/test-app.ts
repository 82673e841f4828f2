import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app';
import { createCoachAccount } from '../../server/auth/auth.service';
import type { Coach } from '../../server/auth/coach';
import { loadConfig, type Config } from '../../server/config';
import type { DatabaseKind } from '../../server/db/connect';
import type { Logger } from '../../server/logger';
import { createFileMailer, type Mailer } from '../../server/mail/mailer';
import { ensureBuiltinQuestionnaires } from '../../server/questionnaires/questionnaires.service';
import { TestClock } from './clock';
import { createTestDatabase, type TestDatabase } from './databases';
import { TEST_ORIGIN, TestBrowser } from './http-client';

/** Logs kept in memory, so a test can assert that nothing unexpected was logged as an error. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    debug() {},
    info() {},
    warn() {},
    error(message, extra) {
      errors.push(`${message} ${JSON.stringify(extra ?? {}, (_key, value: unknown) => (value instanceof Error ? `${value.message}\n${value.stack}` : value))}`);
    },
  };
}

export interface TestContext {
  kind: DatabaseKind;
  database: TestDatabase;
  db: TestDatabase['db'];
  clock: TestClock;
  config: Config;
  mailer: Mailer;
  logger: ReturnType<typeof recordingLogger>;
  app: ReturnType<typeof createApp>['app'];
  deps: ReturnType<typeof createApp>['deps'];
  dataDir: string;
  browser(): TestBrowser;
  close(): Promise<void>;
}

/** A real app on a real, fresh database; email goes to .eml files unless a mailer is given. */
export async function createTestContext(
  kind: DatabaseKind,
  options: { mailer?: (config: Config) => Mailer; env?: Record<string, string> } = {},
): Promise<TestContext> {
  const database = await createTestDatabase(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-data-'));
  return assembleTestContext({ kind, database, clock: new TestClock(), dataDir, env: { PUBLIC_URL: TEST_ORIGIN, ...options.env }, mailer: options.mailer });
}

/**
 * The app on a database the caller opened: built-in questionnaires, configuration, a recording
 * logger and a mailer (`.eml` files in DATA_DIR/<outboxFolder> unless one is given). Closing it
 * closes the database and removes DATA_DIR.
 */
export async function assembleTestContext(parts: {
  kind: DatabaseKind;
  database: TestDatabase;
  clock: TestClock;
  dataDir: string;
  env: Record<string, string>;
  mailer?: (config: Config) => Mailer;
  outboxFolder?: string;
}): Promise<TestContext> {
  const { kind, database, clock, dataDir } = parts;
  await ensureBuiltinQuestionnaires(database.db, clock);
  // Survey emails go at once unless a test asks for the hold that combines a person's emails
  // (SURVEY_EMAIL_HOLD_SECONDS, default 300 when deployed): test/portal and the round journey do.
  const config = loadConfig({ DATA_DIR: dataDir, SURVEY_EMAIL_HOLD_SECONDS: '0', ...parts.env });
  const mailer = parts.mailer ? parts.mailer(config) : createFileMailer(path.join(dataDir, parts.outboxFolder ?? 'outbox'), config.mailFrom);
  const logger = recordingLogger();
  const { app, deps } = createApp({ database, config, clock, mailer, logger });
  return {
    kind,
    database,
    db: database.db,
    clock,
    config,
    mailer,
    logger,
    app,
    deps,
    dataDir,
    browser: () => new TestBrowser(app),
    async close() {
      mailer.close();
      await database.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let coachCounter = 0;

export const TEST_PASSWORD = 'correct horse battery';

/** A coach account created through the service (as setup or the CLI would). */
export async function createCoach(context: TestContext, overrides: Partial<{ email: string; name: string; isAdmin: boolean }> = {}): Promise<Coach> {
  coachCounter += 1;
  return createCoachAccount(context.db, context.clock, {
    email: overrides.email ?? `coach${coachCounter}-${Date.now()}@example.com`,
    name: overrides.name ?? `Coach ${coachCounter}`,
    password: TEST_PASSWORD,
    isAdmin: overrides.isAdmin ?? false,
  });
}

/** A browser signed in as the coach. */
export async function signedInBrowser(context: TestContext, coach: Coach): Promise<TestBrowser> {
  const browser = context.browser();
  const response = await browser.post('/login', { email: coach.email, password: TEST_PASSWORD });
  if (response.status !== 303) throw new Error(`Sign-in failed with ${response.status}: ${response.text.slice(0, 300)}`);
  return browser;
}
