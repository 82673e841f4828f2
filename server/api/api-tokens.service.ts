import type { Coach } from '../auth/coach';
import type { Db } from '../db/schema';
import { findCoachById } from '../auth/auth.repository';
import { dayOf, type Clock } from '../clock';
import { NotFoundError, UnauthorizedError } from '../errors';
import { hashToken, newId, newSecretToken } from '../secrets';
import * as repo from './api-tokens.repository';
import type { ApiToken } from './api-tokens.types';

/** Creates a personal API token. The token itself is returned once and only its hash is kept. */
export async function createApiToken(db: Db, clock: Clock, coachId: string, name: string): Promise<{ token: string; apiToken: ApiToken }> {
  const { token, hash } = newSecretToken();
  const id = newId();
  const createdAt = clock.now().toISOString();
  await repo.insertApiToken(db, { id, coachId, name, tokenHash: hash, createdAt });
  return { token, apiToken: { id, name, createdAt, lastUsedOn: null, revokedAt: null } };
}

export function listApiTokens(db: Db, coachId: string): Promise<ApiToken[]> {
  return repo.listApiTokens(db, coachId);
}

/** "Revoke all": after a password change, or when a token may have leaked and the coach does not know which. */
export async function revokeAllApiTokens(db: Db, clock: Clock, coachId: string): Promise<number> {
  return repo.revokeAllApiTokens(db, coachId, clock.now().toISOString());
}

export async function revokeApiToken(db: Db, clock: Clock, coachId: string, id: string): Promise<void> {
  if (!(await repo.revokeApiToken(db, coachId, id, clock.now().toISOString()))) throw new NotFoundError();
}

/**
 * The coach a bearer token acts as. Unknown, malformed and revoked tokens are all the same 401;
 * the day of use is recorded (at most one write per token and day).
 */
export async function coachForApiToken(db: Db, clock: Clock, token: string): Promise<{ coach: Coach; tokenId: string }> {
  const found = await repo.findActiveApiToken(db, hashToken(token));
  const coach = found && (await findCoachById(db, found.coachId));
  if (!found || !coach) throw new UnauthorizedError('The API token is missing, unknown or revoked.');
  const today = dayOf(clock.now());
  if (found.lastUsedOn !== today) await repo.markApiTokenUsed(db, found.id, today);
  return { coach, tokenId: found.id };
}
