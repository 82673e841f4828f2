import type { Kysely } from 'kysely';

// A release freezes the report it showed: the client reads exactly that version, whatever happens
// to the round afterwards. Re-releasing creates the next version and supersedes the previous link.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_releases')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('report', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('released_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('superseded_at', 'text')
    .addUniqueConstraint('report_releases_round_version_unique', ['round_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_releases').execute();
}
