import type { Kysely } from 'kysely';

// The table is named with the glossary's word: a round's rater groups (self, manager, peers, ...).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('round_groups').renameTo('rater_groups').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rater_groups').renameTo('round_groups').execute();
}
