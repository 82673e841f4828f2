import type { Kysely } from 'kysely';

/**
 * One page per rater and coach that lists every survey they owe that coach, and one email for
 * several surveys (README, Feedback rounds):
 * - `portal_links`: a rater's personal link to that page, stored as the SHA-256 hash of its token
 *   only, for one coach. It holds no address: the rater is found through the invitations it was
 *   sent for (`portal_link_invitations`), so erasing or deleting those invitations (privacy,
 *   retention, removing a rater) leaves the link naming no one. `outbox_id` is the unsent email
 *   the link was made for: rewriting that email before it goes (another survey joined it) gives the
 *   link a new token, and the old one, never sent, stops working. No time is kept.
 * - `outbox.carrier_id`: an email that travels inside another one. A rater's survey emails to
 *   the same coach that are queued before the first of them is sent go as that first one (the
 *   carrier), which lists them all; the others (riders) are never sent on their own but take the
 *   carrier's delivery state, so each invitation's row on the round page stays true. A rider whose
 *   carrier is gone (deleted with its engagement) is sent on its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_links')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('coach_id', 'text', (col) => col.notNull().references('coaches.id').onDelete('cascade'))
    .addColumn('outbox_id', 'text')
    .execute();
  await db.schema.createIndex('portal_links_outbox_idx').on('portal_links').column('outbox_id').execute();
  await db.schema
    .createTable('portal_link_invitations')
    .addColumn('link_id', 'text', (col) => col.notNull().references('portal_links.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text', (col) => col.notNull().references('invitations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('portal_link_invitations_pk', ['link_id', 'invitation_id'])
    .execute();
  await db.schema.createIndex('portal_link_invitations_invitation_idx').on('portal_link_invitations').column('invitation_id').execute();
  await db.schema.alterTable('outbox').addColumn('carrier_id', 'text').execute();
  await db.schema.createIndex('outbox_carrier_idx').on('outbox').column('carrier_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_carrier_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('carrier_id').execute();
  await db.schema.dropTable('portal_link_invitations').execute();
  await db.schema.dropTable('portal_links').execute();
}
