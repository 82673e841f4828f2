import type { Context, MiddlewareHandler } from 'hono';
import { coachForApiToken } from '../api/api-tokens.service';
import { UnauthorizedError } from '../errors';
import type { AppEnv } from './context';

/**
 * `Authorization: Bearer <token>`: the request acts as the token's coach. A missing, unknown or
 * revoked token is a 401 with WWW-Authenticate; a known one is then counted by `limit` (which
 * throws when the token is over its limit) before the request goes on.
 */
export function bearerAuth(limit: (c: Context<AppEnv>, tokenId: string) => Promise<void>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header)?.[1];
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedError('Send a personal API token as "Authorization: Bearer <token>". Coaches create tokens on their account page.');
    }
    const { db, clock } = c.get('deps');
    const { coach, tokenId } = await coachForApiToken(db, clock, token).catch((error: unknown) => {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    });
    await limit(c, tokenId);
    c.set('coach', coach);
    await next();
  };
}
