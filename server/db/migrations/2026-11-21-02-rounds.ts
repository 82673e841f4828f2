import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rounds')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('coach_id', 'text', (col) => col.notNull().references('coaches.id').onDelete('cascade'))
    .addColumn('engagement_id', 'text', (col) => col.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('questionnaire_id', 'text', (col) => col.references('questionnaires.id').onDelete('set null'))
    .addColumn('questionnaire_snapshot', 'text')
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('deadline', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('k', 'integer', (col) => col.notNull())
    .addColumn('tau', sql`double precision`)
    .addColumn('baseline_round_id', 'text', (col) => col.references('rounds.id').onDelete('set null'))
    .addColumn('nomination_token_hash', 'text', (col) => col.unique())
    .addColumn('nomination_requested_at', 'text')
    .addColumn('nomination_submitted_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('launched_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('reopened_at', 'text')
    .execute();
  await db.schema.createIndex('rounds_engagement_idx').on('rounds').column('engagement_id').execute();
  await db.schema.createIndex('rounds_status_idx').on('rounds').columns(['status', 'deadline']).execute();

  await db.schema
    .createTable('round_groups')
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('minimum', 'integer', (col) => col.notNull())
    .addColumn('anonymous', 'integer', (col) => col.notNull())
    .addColumn('is_self', 'integer', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('round_groups_pk', ['round_id', 'key'])
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('is_client', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('status_on', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('last_reminded_on', 'text')
    .addColumn('position', 'integer', (col) => col.notNull())
    .addUniqueConstraint('invitations_round_email_unique', ['round_id', 'email'])
    .execute();
  await db.schema.createIndex('invitations_round_idx').on('invitations').columns(['round_id', 'status']).execute();

  await db.schema
    .createTable('invitation_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('invitation_id', 'text', (col) => col.notNull().references('invitations.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('invitation_tokens_invitation_idx').on('invitation_tokens').column('invitation_id').execute();

  await db.schema
    .createTable('drafts')
    .addColumn('invitation_id', 'text', (col) => col.primaryKey().references('invitations.id').onDelete('cascade'))
    .addColumn('answers', 'text', (col) => col.notNull())
    .execute();

  // A submitted response: keyed by round and rater group only (docs/anonymity.md, rule 6). No timestamp, no
  // sequence, a random id; on SQLite the table is clustered by that random id (WITHOUT ROWID), so
  // not even the physical row order follows the order of submission.
  const responses = db.schema
    .createTable('responses')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (col) => col.notNull())
    .addColumn('answers', 'text', (col) => col.notNull());
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await (isSqlite ? responses.modifyEnd(sql`without rowid`) : responses).execute();
  await db.schema.createIndex('responses_round_idx').on('responses').column('round_id').execute();

  await db.schema
    .createTable('nominations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('nominations_round_idx').on('nominations').column('round_id').execute();

  // One row per automatic reminder and round: the unique key lets only one server instance send it.
  await db.schema
    .createTable('round_reminders')
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('days_before', 'integer', (col) => col.notNull())
    .addColumn('sent_at', 'text', (col) => col.notNull())
    .addColumn('skipped', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('round_reminders_pk', ['round_id', 'days_before'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['round_reminders', 'nominations', 'responses', 'drafts', 'invitation_tokens', 'invitations', 'round_groups', 'rounds']) {
    await db.schema.dropTable(table).execute();
  }
}
