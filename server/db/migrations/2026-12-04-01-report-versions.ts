import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Published versions of a round's figures (docs/anonymity.md, rule 3) and responses stored so that their place in
 * the file says nothing about when they came (rule 6).
 *
 * - `responses.version`: the published version a response joined; null while it is in none (a
 *   round open for the first time, or a late answer held back after a reopen).
 * - `round_versions`: one row per published version, dated by the day only, with the number of
 *   invitations per group at that moment (a version is a fixed picture: its response rates too).
 * - `rounds.published_version`: the latest version (0 = none), read with every survey link so a
 *   late submission knows whether it must try to publish.
 * - `report_releases.report_version`: the version a release shows.
 * - On SQLite the responses table is clustered by (round, random id): no separate index on the
 *   round whose leaf would list a round's responses in the order they were inserted; the rows are
 *   copied in random order.
 * - `outbox.forget_when_done`: messages deleted once sent or failed, dated by the day while they
 *   wait (thank-you messages: their moment would record when someone answered).
 * Rounds already closed with enough responses get version 1 with every response they hold.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (isSqlite) {
    await db.schema
      .createTable('responses_by_round')
      .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
      .addColumn('id', 'text', (col) => col.notNull())
      .addColumn('group_key', 'text', (col) => col.notNull())
      .addColumn('answers', 'text', (col) => col.notNull())
      .addColumn('version', 'integer')
      .addPrimaryKeyConstraint('responses_pk', ['round_id', 'id'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into responses_by_round (round_id, id, group_key, answers) select round_id, id, group_key, answers from responses order by random()`.execute(db);
    await db.schema.dropTable('responses').execute();
    await db.schema.alterTable('responses_by_round').renameTo('responses').execute();
  } else {
    await db.schema.alterTable('responses').addColumn('version', 'integer').execute();
  }
  await db.schema.alterTable('rounds').addColumn('published_version', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('report_releases').addColumn('report_version', 'integer').execute();
  await db.schema.alterTable('outbox').addColumn('forget_when_done', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('round_versions')
    .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('published_on', 'text', (col) => col.notNull())
    .addColumn('invited', 'text', (col) => col.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('round_versions_pk', ['round_id', 'version'])
    .execute();

  await sql`
    update rounds set published_version = 1
    where status = 'closed'
      and (select count(*) from responses s join round_groups g on g.round_id = s.round_id and g.key = s.group_key and g.is_self = 0
           where s.round_id = rounds.id) >= rounds.k`.execute(db);
  const invitedJson = isSqlite ? sql`json_group_object(group_key, n)` : sql`json_object_agg(group_key, n)::text`;
  await sql`
    insert into round_versions (round_id, version, published_on, invited)
    select r.id, 1, substr(coalesce(r.closed_at, r.created_at), 1, 10),
      coalesce((select ${invitedJson} from (select group_key, count(*) as n from invitations i where i.round_id = r.id and i.status <> 'pending' group by group_key) per_group), '{}')
    from rounds r where r.published_version = 1`.execute(db);
  await sql`update responses set version = 1 where round_id in (select id from rounds where published_version = 1)`.execute(db);
  await sql`update report_releases set report_version = 1 where round_id in (select id from rounds where published_version = 1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.dropTable('round_versions').execute();
  await db.schema.alterTable('outbox').dropColumn('forget_when_done').execute();
  await db.schema.alterTable('report_releases').dropColumn('report_version').execute();
  await db.schema.alterTable('rounds').dropColumn('published_version').execute();
  if (isSqlite) {
    await db.schema
      .createTable('responses_by_id')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('round_id', 'text', (col) => col.notNull().references('rounds.id').onDelete('cascade'))
      .addColumn('group_key', 'text', (col) => col.notNull())
      .addColumn('answers', 'text', (col) => col.notNull())
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into responses_by_id (id, round_id, group_key, answers) select id, round_id, group_key, answers from responses`.execute(db);
    await db.schema.dropTable('responses').execute();
    await db.schema.alterTable('responses_by_id').renameTo('responses').execute();
    await db.schema.createIndex('responses_round_idx').on('responses').column('round_id').execute();
  } else {
    await db.schema.alterTable('responses').dropColumn('version').execute();
  }
}
