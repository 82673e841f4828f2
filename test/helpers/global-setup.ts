/** Announces which databases the suite runs against, so a skipped PostgreSQL half is visible. */
export default function announceDatabases(): void {
  const databases = process.env.TEST_DATABASE_URL ? 'sqlite, postgres' : 'sqlite only (TEST_DATABASE_URL not set)';
  console.log(`\nDatabases under test: ${databases}\n`);
}
