import type { Kysely } from 'kysely';

/**
 * Languages (README, Languages): a coach's pages follow their account's language; an engagement's
 * language is the client's (their report, the emails they get); a round's language is the default
 * of its raters; an invitation's language is the one that rater reads their emails and survey in
 * (set by the coach, switched by the rater on the survey). Responses carry no language: answers
 * in several languages are one data set, and no report may mark a comment's language.
 * Every existing row was English.
 */
const LANGUAGE_TABLES = ['coaches', 'engagements', 'rounds', 'invitations'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of LANGUAGE_TABLES) {
    await db.schema.alterTable(table).addColumn('language', 'text', (col) => col.notNull().defaultTo('en')).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of LANGUAGE_TABLES) {
    await db.schema.alterTable(table).dropColumn('language').execute();
  }
}
