import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Config } from '../config';

/**
 * The caller's address for rate limiting. X-Forwarded-For is trusted only when the operator says a
 * proxy sets it (TRUST_PROXY), otherwise anyone could pick their own address per request. Even then
 * only its right end can be trusted: each proxy appends the address it was called from, so the
 * left-most entries are whatever the caller chose to send. With TRUSTED_PROXY_HOPS proxies in front
 * of the server, the caller is that many entries from the right (the left-most one, if the header
 * is shorter than that).
 */
export function resolveClientIp(c: Context, proxy: Pick<Config, 'trustProxy' | 'trustedProxyHops'>): string {
  if (proxy.trustProxy) {
    const entries = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const forwarded = entries[Math.max(0, entries.length - proxy.trustedProxyHops)];
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
}
