import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A focus area points at a competency or item of the baseline round's frozen questionnaire; its
  // label is copied so the plan reads the same whatever happens to questionnaires later.
  await db.schema
    .createTable('focus_areas')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('engagement_id', 'text', (col) => col.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('ref_id', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('goal', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addUniqueConstraint('focus_areas_round_ref_unique', ['round_id', 'type', 'ref_id'])
    .execute();
  await db.schema.createIndex('focus_areas_engagement_idx').on('focus_areas').column('engagement_id').execute();

  await db.schema
    .createTable('action_steps')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('focus_area_id', 'text', (col) => col.notNull().references('focus_areas.id').onDelete('cascade'))
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('action_steps_focus_idx').on('action_steps').column('focus_area_id').execute();

  await db.schema.alterTable('engagements').addColumn('closing_note', 'text', (col) => col.notNull().defaultTo('')).execute();
  // The day a pulse asks "since when?".
  await db.schema.alterTable('rounds').addColumn('pulse_since', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rounds').dropColumn('pulse_since').execute();
  await db.schema.alterTable('engagements').dropColumn('closing_note').execute();
  await db.schema.dropTable('action_steps').execute();
  await db.schema.dropTable('focus_areas').execute();
}
