import type { Kysely } from 'kysely';

/**
 * Norms, team reports and the questionnaire-version lists find a coach's closed baselines
 * (server/norms/leaders.repository.ts closedBaselines). Without this index SQLite read every closed
 * round in full: purpose and published_version sit after the frozen questionnaire in the row, so
 * each candidate cost its overflow pages (36 ms for 2,000 closed baselines, on every request of
 * GET /v1/questionnaire-versions; 2 ms with it). engagement_id and id make it cover the joins.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('rounds_coach_baselines_idx').on('rounds').columns(['coach_id', 'purpose', 'status', 'published_version', 'engagement_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('rounds_coach_baselines_idx').execute();
}
