import { createHash, randomFillSync, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Secrets that travel in URLs or cookies: 256 random bits, base64url. Only their SHA-256 hash is
 * stored, so a copy of the database does not let anyone open a link or take over a session.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBase64url(32);
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
  return randomBase64url(16);
}

/** A copy of `items` in an order nobody can predict or reproduce: Fisher-Yates on the CSPRNG. */
export function secureShuffle<T>(items: readonly T[]): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

// Bytes from the CSPRNG are drawn 8 KiB at a time and each byte is handed out once: a call into
// OpenSSL per token cost ~14 µs, a tenth of a survey page (node:crypto's randomUUID does the same).
const entropy = Buffer.alloc(8192);
let entropyUsed = entropy.length;

function randomBase64url(bytes: number): string {
  if (entropyUsed + bytes > entropy.length) {
    randomFillSync(entropy);
    entropyUsed = 0;
  }
  const text = entropy.toString('base64url', entropyUsed, entropyUsed + bytes);
  entropyUsed += bytes;
  return text;
}
