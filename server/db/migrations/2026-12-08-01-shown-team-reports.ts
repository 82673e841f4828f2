import type { Kysely } from 'kysely';

/**
 * Every distinct team report a coach has been shown (page, export or API), as which leaders stand
 * behind each figure: someone who keeps every version of a team report solves equations over them,
 * so a new membership is checked against all of them (docs/anonymity.md, rule 3, applied to
 * leaders). Kept when the team is deleted: printed and exported copies outlive it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shown_team_reports')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('coach_id', 'text', (column) => column.notNull().references('coaches.id').onDelete('cascade'))
    .addColumn('questionnaire_version', 'text', (column) => column.notNull())
    .addColumn('team_id', 'text', (column) => column.notNull())
    .addColumn('signature', 'text', (column) => column.notNull())
    .addColumn('footprint', 'text', (column) => column.notNull())
    .addColumn('first_shown_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('shown_team_reports_signature_unique', ['coach_id', 'questionnaire_version', 'signature'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shown_team_reports').execute();
}
