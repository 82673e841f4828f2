import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../server/db/migrations/index';
import { listEngagements } from '../../server/engagements/engagements.service';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../helpers/databases';

/** The migration that made the engagement list searchable in the database, on engagements written before it. */
describe.each(DATABASE_KINDS)('the engagement-search migration on existing data (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => database?.destroy());

  it('folds the name and organisation of every existing engagement, so the search finds them', async () => {
    database = await createTestDatabase(kind, { migrated: false });
    const db = database.db as unknown as Kysely<any>;
    const schema = database.location.kind === 'postgres' ? database.location.schema : undefined;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
    expect((await migrator.migrateTo('2026-12-04-04-response-mixing')).error).toBeUndefined();

    await db.insertInto('coaches').values({ id: 'c', email: 'c@example.com', name: 'C', password_hash: 'x', is_admin: 1, created_at: '2026-01-01T00:00:00Z' }).execute();
    const engagement = (id: string, clientName: string, organisation: string) => ({ id, coach_id: 'c', client_name: clientName, client_email: `${id}@example.com`, organisation, start_date: '2026-01-01', stage: 'assessment', created_at: '2026-01-01T00:00:00Z', updated_at: `2026-01-0${id.length}T00:00:00Z` });
    await db.insertInto('engagements').values([engagement('e', 'Émilie Dubois', 'Société Générale'), engagement('ee', 'Jürgen Öztürk', 'ACME')]).execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const rows = await db.selectFrom('engagements').select(['id', 'search_text']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'e', search_text: 'emilie dubois societe generale' },
      { id: 'ee', search_text: 'jurgen ozturk acme' },
    ]);
    const found = await listEngagements(database.db, 'c', { search: 'SOCIÉTÉ', stage: null, archived: false }, { after: null, limit: 10 });
    expect(found.items.map((row) => row.clientName)).toEqual(['Émilie Dubois']);
  });
});
