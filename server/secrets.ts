import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets that travel in URLs or cookies: 256 random bits, base64url. Only their SHA-256 hash is
 * stored, so a copy of the database does not let anyone open a link or take over a session.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token we issued is exactly 43 base64url characters; anything else is rejected before any lookup. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Random identifiers for rows: unguessable and unordered, so ids reveal neither count nor sequence. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
