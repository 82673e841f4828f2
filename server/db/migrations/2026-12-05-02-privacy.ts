import type { Kysely } from 'kysely';

/**
 * What a practice must be able to account for (README, Privacy):
 * - `installation_settings`: settings of the installation kept in the database, such as the
 *   privacy notice raters are shown (a key, a JSON value, the day it changed);
 * - `invitations.notice_version` / `notice_read_on`: which version of the notice a rater confirmed,
 *   and on which day (never the moment: it would date the answer);
 * - `engagements.rater_data_erased_on`: the day the retention job erased the raters' personal data
 *   of an archived engagement, so the job does each engagement once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installation_settings')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_on', 'text', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('invitations').addColumn('notice_version', 'integer').execute();
  await db.schema.alterTable('invitations').addColumn('notice_read_on', 'text').execute();
  await db.schema.alterTable('engagements').addColumn('rater_data_erased_on', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('engagements').dropColumn('rater_data_erased_on').execute();
  await db.schema.alterTable('invitations').dropColumn('notice_read_on').execute();
  await db.schema.alterTable('invitations').dropColumn('notice_version').execute();
  await db.schema.dropTable('installation_settings').execute();
}
