import type { CoachRow, Db } from '../db/schema';
import { isLanguage, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import type { Coach } from './coach';

function toCoach(row: Pick<CoachRow, 'id' | 'email' | 'name' | 'is_admin' | 'created_at' | 'language'>): Coach {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin === 1, createdAt: row.created_at, language: isLanguage(row.language) ? row.language : SOURCE_LANGUAGE };
}

export async function countCoaches(db: Db): Promise<number> {
  const row = await db.selectFrom('coaches').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findCoachById(db: Db, id: string): Promise<Coach | undefined> {
  const row = await db.selectFrom('coaches').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCoach(row);
}

export async function findCoachCredentials(db: Db, email: string): Promise<{ coach: Coach; passwordHash: string } | undefined> {
  const row = await db.selectFrom('coaches').selectAll().where('email', '=', email).executeTakeFirst();
  return row && { coach: toCoach(row), passwordHash: row.password_hash };
}

export async function findPasswordHash(db: Db, coachId: string): Promise<string | undefined> {
  const row = await db.selectFrom('coaches').select('password_hash').where('id', '=', coachId).executeTakeFirst();
  return row?.password_hash;
}

export async function insertCoach(
  db: Db,
  coach: Coach & { passwordHash: string },
): Promise<void> {
  await db
    .insertInto('coaches')
    .values({
      id: coach.id,
      email: coach.email,
      name: coach.name,
      password_hash: coach.passwordHash,
      is_admin: coach.isAdmin ? 1 : 0,
      created_at: coach.createdAt,
      language: coach.language,
    })
    .execute();
}

export async function listCoaches(db: Db): Promise<Coach[]> {
  const rows = await db.selectFrom('coaches').selectAll().orderBy('created_at').execute();
  return rows.map(toCoach);
}

export async function updateCoachLanguage(db: Db, coachId: string, language: Language): Promise<void> {
  await db.updateTable('coaches').set({ language }).where('id', '=', coachId).execute();
}

export async function updatePasswordHash(db: Db, coachId: string, passwordHash: string): Promise<void> {
  await db.updateTable('coaches').set({ password_hash: passwordHash }).where('id', '=', coachId).execute();
}

export async function insertSession(db: Db, session: { idHash: string; coachId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id_hash: session.idHash, coach_id: session.coachId, created_at: session.createdAt, expires_at: session.expiresAt })
    .execute();
}

export async function findSessionCoach(db: Db, idHash: string, now: string): Promise<Coach | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('coaches', 'coaches.id', 'sessions.coach_id')
    .select(['coaches.id', 'coaches.email', 'coaches.name', 'coaches.is_admin', 'coaches.created_at', 'coaches.language'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  return row && toCoach(row);
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteOtherSessions(db: Db, coachId: string, keepIdHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('coach_id', '=', coachId).where('id_hash', '!=', keepIdHash).execute();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function replaceSetupToken(db: Db, tokenHash: string, createdAt: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('setup_tokens').execute();
    await trx.insertInto('setup_tokens').values({ token_hash: tokenHash, created_at: createdAt }).execute();
  });
}

export async function setupTokenExists(db: Db, tokenHash: string): Promise<boolean> {
  const row = await db.selectFrom('setup_tokens').select('token_hash').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row !== undefined;
}

/** Setup links stop working once an account exists (see isSetupTokenValid); this forgets them. */
export async function deleteSetupTokensOnceCoachExists(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('setup_tokens')
    .where((eb) => eb.exists(eb.selectFrom('coaches').select('id')))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes the token; true only for the one caller that actually removed it. */
export async function consumeSetupToken(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('setup_tokens').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function recordLoginFailure(db: Db, failure: { id: string; email: string; ip: string; failedAt: string }): Promise<void> {
  await db.insertInto('login_failures').values({ id: failure.id, email: failure.email, ip: failure.ip, failed_at: failure.failedAt }).execute();
}

/** Failures for one email or one address since an instant, and when the oldest of them happened. */
export async function countLoginFailures(
  db: Db,
  by: { email: string } | { ip: string },
  since: string,
): Promise<{ count: number; oldest: string | null }> {
  const [column, value] = 'email' in by ? (['email', by.email] as const) : (['ip', by.ip] as const);
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min<string>('failed_at').as('oldest')])
    .where('failed_at', '>', since)
    .where(column, '=', value)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ?? null };
}

export async function deleteLoginFailuresOlderThan(db: Db, instant: string): Promise<number> {
  const result = await db.deleteFrom('login_failures').where('failed_at', '<=', instant).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function clearLoginFailures(db: Db, email: string, olderThan: string): Promise<void> {
  await db.deleteFrom('login_failures').where((eb) => eb.or([eb('email', '=', email), eb('failed_at', '<=', olderThan)])).execute();
}
