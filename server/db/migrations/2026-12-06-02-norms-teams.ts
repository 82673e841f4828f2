import type { Kysely } from 'kysely';

/**
 * Practice norms and team reports (README, Practice norms and team reports):
 * - `round_questionnaire_versions`: which questionnaire version a launched round used, a hash of
 *   its frozen questionnaire's scale, competencies and items (server/norms/questionnaire-version.ts),
 *   with the questionnaire's name and size for the pages. Written by the server the first time it
 *   looks at a closed baseline (a launched round's questionnaire never changes), so rounds can be
 *   grouped by version in the database;
 * - `norms`: a frozen norm of one coach and questionnaire version: each subject's leader values
 *   and leader ids as JSON (sorted apart, so they do not pair a leader with a value), numbered per
 *   coach and version; archived, it stops being offered and stops counting for the next norm's check;
 * - `teams` and `team_members`: a coach's chosen set of engagements on one questionnaire version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('round_questionnaire_versions')
    .addColumn('round_id', 'text', (col) => col.primaryKey().references('rounds.id').onDelete('cascade'))
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('questionnaire_name', 'text', (col) => col.notNull())
    .addColumn('competencies', 'integer', (col) => col.notNull())
    .addColumn('items', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('round_questionnaire_versions_version_idx').on('round_questionnaire_versions').column('version').execute();

  await db.schema
    .createTable('norms')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('coach_id', 'text', (col) => col.notNull().references('coaches.id').onDelete('cascade'))
    .addColumn('questionnaire_version', 'text', (col) => col.notNull())
    .addColumn('questionnaire_name', 'text', (col) => col.notNull())
    .addColumn('sequence', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('leaders', 'integer', (col) => col.notNull())
    .addColumn('minimum_leaders', 'integer', (col) => col.notNull())
    .addColumn('k', 'integer', (col) => col.notNull())
    .addColumn('structure', 'text', (col) => col.notNull())
    .addColumn('subjects', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('archived_at', 'text')
    .addUniqueConstraint('norms_sequence_unique', ['coach_id', 'questionnaire_version', 'sequence'])
    .execute();
  await db.schema.createIndex('norms_list_idx').on('norms').columns(['coach_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('coach_id', 'text', (col) => col.notNull().references('coaches.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('questionnaire_version', 'text', (col) => col.notNull())
    .addColumn('questionnaire_name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('teams_list_idx').on('teams').columns(['coach_id', 'updated_at', 'id']).execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (col) => col.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('engagement_id', 'text', (col) => col.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('added_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'engagement_id'])
    .execute();
  await db.schema.createIndex('team_members_engagement_idx').on('team_members').column('engagement_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_members').execute();
  await db.schema.dropTable('teams').execute();
  await db.schema.dropTable('norms').execute();
  await db.schema.dropTable('round_questionnaire_versions').execute();
}
