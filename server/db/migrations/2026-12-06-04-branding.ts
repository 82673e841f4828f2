import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * The practice's own look (README, Branding): one row for the installation, set by its
 * administrator: the practice's name, its accent colour, the sender name and reply-to address of
 * its emails, and its logo as the PNG the server made of the upload (its bytes, their hash for the
 * URL, and its size in pixels for the pages' img attributes). In the database rather than
 * DATA_DIR, so several instances sharing one PostgreSQL database serve the same logo.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('practice_branding')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('practice_name', 'text')
    .addColumn('accent_colour', 'text')
    .addColumn('sender_name', 'text')
    .addColumn('reply_to', 'text')
    .addColumn('logo', isSqlite ? 'blob' : 'bytea')
    .addColumn('logo_hash', 'text')
    .addColumn('logo_width', 'integer')
    .addColumn('logo_height', 'integer')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('practice_branding').execute();
}
