import { buildServer } from './server-command';

/**
 * Announces which databases the suite runs against, so a skipped PostgreSQL half is visible, and
 * builds dist/server.mjs once for the drills that start the real server as `npm start` does.
 */
export default function setUpSuite(): void {
  const databases = process.env.TEST_DATABASE_URL ? 'sqlite, postgres' : 'sqlite only (TEST_DATABASE_URL not set)';
  console.log(`\nDatabases under test: ${databases}\n`);
  buildServer();
}
