import { addDays, type Clock } from '../clock';
import { InvalidError, NotFoundError, RateLimitedError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import { hashToken, isWellFormedToken, newId, newSecretToken } from '../secrets';
import { hashPassword, unusablePasswordHash, verifyPassword } from './password';
import * as repo from './auth.repository';
import { revokeAllApiTokens } from '../api/api-tokens.service';
import type { Coach } from './coach';
import type { Db } from '../db/schema';
import { SOURCE_LANGUAGE, type Language } from '../i18n/languages';

// Login limits: enough for a person who mistypes, far too few for guessing.
const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 20;

export interface NewCoachAccount {
  email: string;
  name: string;
  password: string;
}

/** Creates an account; the email must be unused. Used by setup, invitations and the CLI. */
export async function createCoachAccount(db: Db, clock: Clock, account: NewCoachAccount & { isAdmin: boolean }): Promise<Coach> {
  if (await repo.findCoachCredentials(db, account.email)) {
    throw new InvalidError(new Phrase('error.account.emailTaken'), phrasedFields({ email: new Phrase('error.account.emailTaken') }));
  }
  const coach: Coach = {
    id: newId(),
    email: account.email,
    name: account.name,
    isAdmin: account.isAdmin,
    createdAt: clock.now().toISOString(),
    language: SOURCE_LANGUAGE,
  };
  await repo.insertCoach(db, { ...coach, passwordHash: await hashPassword(account.password) });
  return coach;
}

/**
 * While no coach exists, issues a fresh one-time setup token (replacing any earlier one) and
 * returns it; once the first account exists there is no setup link at all.
 */
export async function issueSetupToken(db: Db, clock: Clock): Promise<string | null> {
  if ((await repo.countCoaches(db)) > 0) return null;
  const { token, hash } = newSecretToken();
  await repo.replaceSetupToken(db, hash, clock.now().toISOString());
  return token;
}

export async function isSetupTokenValid(db: Db, token: string): Promise<boolean> {
  return isWellFormedToken(token) && (await repo.setupTokenExists(db, hashToken(token))) && (await repo.countCoaches(db)) === 0;
}

/** Creates the administrator. The token is consumed in the same transaction, so it works exactly once. */
export async function completeSetup(db: Db, clock: Clock, token: string, account: NewCoachAccount): Promise<Coach> {
  if (!isWellFormedToken(token)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    if (!(await repo.consumeSetupToken(trx, hashToken(token))) || (await repo.countCoaches(trx)) > 0) {
      throw new NotFoundError();
    }
    return createCoachAccount(trx, clock, { ...account, isAdmin: true });
  });
}

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
}

/**
 * Checks the password and opens a session. Failures are counted per email and per address in the
 * database (so the limit holds across server instances); a locked-out caller learns when to retry.
 */
export async function logIn(db: Db, clock: Clock, attempt: LoginAttempt, sessionDays: number): Promise<{ coach: Coach; sessionToken: string } | null> {
  const now = clock.now();
  const windowStart = failureWindowStart(now);
  await assertNotLockedOut(db, now, windowStart, attempt);

  const credentials = await repo.findCoachCredentials(db, attempt.email);
  const matches = await verifyPassword(attempt.password, credentials?.passwordHash ?? (await unusablePasswordHash()));
  if (!credentials || !matches) {
    await repo.recordLoginFailure(db, { id: newId(), email: attempt.email, ip: attempt.ip, failedAt: now.toISOString() });
    return null;
  }
  await repo.clearLoginFailures(db, attempt.email, windowStart);
  return { coach: credentials.coach, sessionToken: await openSession(db, now, credentials.coach.id, sessionDays) };
}

function failureWindowStart(now: Date): string {
  return new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
}

async function assertNotLockedOut(db: Db, now: Date, windowStart: string, attempt: LoginAttempt): Promise<void> {
  const checks = [
    { failures: await repo.countLoginFailures(db, { email: attempt.email }, windowStart), limit: MAX_FAILURES_PER_EMAIL },
    { failures: await repo.countLoginFailures(db, { ip: attempt.ip }, windowStart), limit: MAX_FAILURES_PER_IP },
  ];
  for (const { failures, limit } of checks) {
    if (failures.count >= limit && failures.oldest) {
      const unlocksAt = new Date(failures.oldest).getTime() + FAILURE_WINDOW_MINUTES * 60_000;
      const seconds = Math.max(1, Math.ceil((unlocksAt - now.getTime()) / 1000));
      const minutes = Math.ceil(seconds / 60);
      throw new RateLimitedError(
        `Too many failed sign-in attempts. For your security, please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
        seconds,
      );
    }
  }
}

async function openSession(db: Db, now: Date, coachId: string, sessionDays: number): Promise<string> {
  const { token, hash } = newSecretToken();
  await repo.insertSession(db, {
    idHash: hash,
    coachId,
    createdAt: now.toISOString(),
    expiresAt: addDays(now, sessionDays).toISOString(),
  });
  return token;
}

/** Signs a coach in right after creating their account (setup, accepted invitation). */
export async function startSession(db: Db, clock: Clock, coachId: string, sessionDays: number): Promise<string> {
  return openSession(db, clock.now(), coachId, sessionDays);
}

export async function coachForSession(db: Db, clock: Clock, sessionToken: string): Promise<Coach | undefined> {
  if (!isWellFormedToken(sessionToken)) return undefined;
  return repo.findSessionCoach(db, hashToken(sessionToken), clock.now().toISOString());
}

export async function logOut(db: Db, sessionToken: string): Promise<void> {
  await repo.deleteSession(db, hashToken(sessionToken));
}

/**
 * Changes the password, signs the coach out everywhere else, and revokes every API token: a
 * password change often follows the fear that the account was used by someone else, and a token
 * made by them would survive it otherwise.
 */
export async function changePassword(
  db: Db,
  clock: Clock,
  coachId: string,
  change: { currentPassword: string; newPassword: string; sessionToken: string },
): Promise<void> {
  const stored = await repo.findPasswordHash(db, coachId);
  if (!stored || !(await verifyPassword(change.currentPassword, stored))) {
    throw new InvalidError(new Phrase('error.account.currentPasswordWrong'), phrasedFields({ currentPassword: new Phrase('error.account.currentPasswordWrong') }));
  }
  if (change.currentPassword === change.newPassword) {
    throw new InvalidError(new Phrase('error.account.samePassword'), phrasedFields({ newPassword: new Phrase('error.account.samePassword') }));
  }
  const hash = await hashPassword(change.newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updatePasswordHash(trx, coachId, hash);
    await repo.deleteOtherSessions(trx, coachId, hashToken(change.sessionToken));
    await revokeAllApiTokens(trx, clock, coachId);
  });
}

/**
 * Housekeeping: forgets sessions past their expiry, sign-in failures too old to count towards a
 * lockout, and setup links that stopped working when the first account was created.
 */
export async function deleteExpiredSignInRecords(db: Db, clock: Clock): Promise<{ sessions: number; loginFailures: number; setupTokens: number }> {
  const now = clock.now();
  return {
    sessions: await repo.deleteExpiredSessions(db, now.toISOString()),
    loginFailures: await repo.deleteLoginFailuresOlderThan(db, failureWindowStart(now)),
    setupTokens: await repo.deleteSetupTokensOnceCoachExists(db),
  };
}

/** The language of the coach's own pages from their next request on, and of their new engagements. */
export async function setCoachLanguage(db: Db, coachId: string, language: Language): Promise<void> {
  await repo.updateCoachLanguage(db, coachId, language);
}
