import type { Kysely } from 'kysely';

/**
 * Responses are re-stored in a random order shortly after they arrive (see mixNewResponses):
 * `responses.mixed` is 0 for a response not re-stored yet, and `rounds.responses_to_mix` tells the
 * background job which rounds have such responses without scanning every response. Existing
 * responses count as mixed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('mixed', 'integer', (col) => col.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('rounds').addColumn('responses_to_mix', 'integer', (col) => col.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rounds').dropColumn('responses_to_mix').execute();
  await db.schema.alterTable('responses').dropColumn('mixed').execute();
}
