import type { Kysely } from 'kysely';

/**
 * The coach's engagement list, a page at a time, stays fast with 10,000 engagements:
 * - `search_text` holds the client's name and organisation folded for search (lower case, accents
 *   removed: "Émilie Durand" is found by "emilie"), so a search is one LIKE over the coach's rows
 *   instead of reading every row into the server to compare there;
 * - the list is read in the order (updated_at, id) from an index on (coach_id, updated_at, id),
 *   which pages continue from; it replaces the index on (coach_id, updated_at).
 * The folding below is a copy of the server's (engagements.repository.ts) as it was when this
 * migration was written; a migration keeps the code it ran with.
 */
function searchText(clientName: string, organisation: string): string {
  return `${clientName} ${organisation}`.normalize('NFKD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('engagements').addColumn('search_text', 'text', (col) => col.notNull().defaultTo('')).execute();
  const rows: Array<{ id: string; client_name: string; organisation: string }> = await db.selectFrom('engagements').select(['id', 'client_name', 'organisation']).execute();
  for (const row of rows) {
    await db.updateTable('engagements').set({ search_text: searchText(row.client_name, row.organisation) }).where('id', '=', row.id).execute();
  }
  await db.schema.createIndex('engagements_list_idx').on('engagements').columns(['coach_id', 'updated_at', 'id']).execute();
  await db.schema.dropIndex('engagements_coach_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('engagements_coach_idx').on('engagements').columns(['coach_id', 'updated_at']).execute();
  await db.schema.dropIndex('engagements_list_idx').execute();
  await db.schema.alterTable('engagements').dropColumn('search_text').execute();
}
