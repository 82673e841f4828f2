import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { issueSetupToken } from './auth/auth.service';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { migrateToLatest, openDatabase } from './db/connect';
import { createLogger } from './logger';
import { createFileMailer, createSmtpMailer, smtpTimeouts } from './mail/mailer';
import { startBackgroundJobs } from './jobs/scheduler';
import { ensureBuiltinQuestionnaires } from './questionnaires/questionnaires.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The long-running server checkpoints SQLite's WAL in the background, outside request commits.
  const database = openDatabase(config.database.kind === 'sqlite' ? { ...config.database, backgroundCheckpoints: true } : config.database);
  await migrateToLatest(database);
  await ensureBuiltinQuestionnaires(database.db, systemClock);
  const mailer = config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom, smtpTimeouts(config.smtpTimeoutSeconds))
    : createFileMailer(path.join(config.dataDir, 'outbox'), config.mailFrom);

  const { app, deps } = createApp({ database, config, clock: systemClock, mailer, logger });
  const jobs = startBackgroundJobs(deps);
  const server = serve({ fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) }, () => {
    logger.info(`Listening on ${config.publicUrl} (database: ${database.kind}, email: ${mailer.deliversEmail ? 'SMTP' : `files in ${mailer.outboxDir}`})`);
  });

  const setupToken = await issueSetupToken(database.db, systemClock);
  if (setupToken) {
    console.log(`\nNo coach account exists yet. Open this one-time setup link to create the administrator:\n\n    ${config.publicUrl}/setup/${setupToken}\n`);
  }

  const shutdown = () => {
    logger.info('Shutting down');
    jobs.stop();
    server.close(() => {
      mailer.close();
      void database.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
