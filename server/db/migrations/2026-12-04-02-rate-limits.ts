import type { Kysely } from 'kysely';

/**
 * Rate limits counted in the database, so every server instance on one database shares them: one
 * row per limiter, key (an API token id, a caller's address) and fixed window, incremented with one
 * atomic upsert. `expires_at` is the end of the window; ended windows are deleted by the
 * housekeeping job.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('limiter', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('window_start', 'text', (col) => col.notNull())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['limiter', 'key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limit_windows_expires_idx').on('rate_limit_windows').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
}
