import { randomFillSync } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';

const NONCE_BYTES = 16;
const NONCES_PER_FILL = 256;
const pool = Buffer.alloc(NONCE_BYTES * NONCES_PER_FILL);
let offset = pool.length;

/**
 * A fresh nonce: 16 bytes from the system's CSPRNG, each used once. They are drawn 256 at a time:
 * hono's NONCE asks for 16 bytes and encodes them by hand on every response, which cost a survey
 * page about 28 µs (a twentieth of its CPU) for a nonce only printed reports use.
 */
export function nextNonce(): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const nonce = pool.toString('base64', offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}

/** Gives the response its CSP nonce before secureHeaders writes the header (its NONCE takes one already set). */
export function cspNonce(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('secureHeadersNonce', nextNonce());
    await next();
  };
}
