import { systemClock } from '../clock';
import { ConfigError, loadConfig } from '../config';
import { migrateToLatest, openDatabase } from '../db/connect';
import { DEMO_EMAIL, ensureDemoData } from '../demo/demo.service';
import { ensureBuiltinQuestionnaires } from '../questionnaires/questionnaires.service';

/** `npm run demo`: demo data for a first look at the product (idempotent). */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database);
    await ensureBuiltinQuestionnaires(database.db, systemClock);
    const result = await ensureDemoData(database, config);
    console.log(
      result.created
        ? 'Demo data created: the engagement of Alex Morgan, with a baseline 360 and its report, a development plan, a pulse check-in and an evaluation round with its change report.'
        : 'The demo data exists already; nothing was changed.',
    );
    if (result.practice) {
      const { team, norm, normRefusal } = result.practice;
      console.log(`The practice around it: “${team.name}”, a team report of ${team.members} leaders, and ${norm ? `“${norm.name}”, a practice norm to compare reports with.` : `no practice norm (${normRefusal})`}`);
    }
    console.log(`\nSign in at ${config.publicUrl}/login\n    email:    ${DEMO_EMAIL}\n    password: ${result.password ?? '(unchanged since the demo account was created)'}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
