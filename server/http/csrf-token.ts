import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { constantTimeEqual, newSecretToken } from '../secrets';
import type { AppEnv } from './context';
import { setAppCookie } from './cookies';
import { BadRequestError, ForbiddenError } from '../errors';
import { Phrase } from '../i18n/phrase';

export const CSRF_COOKIE = 'csrf';
export const CSRF_FIELD = '_csrf';
const UNSAFE_METHOD = /^(POST|PUT|PATCH|DELETE)$/;

/**
 * Double-submit token: every browser gets a random cookie, every form carries the same value in a
 * hidden field, and an unsafe request must present both. It complements the Origin check of
 * hono/csrf (which a missing Origin header or an old browser would otherwise defeat).
 */
export function csrfToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = newSecretToken().token;
      setAppCookie(c, CSRF_COOKIE, token);
    }
    c.set('csrfToken', token);
    if (UNSAFE_METHOD.test(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? (await readFormToken(c.req.raw.headers.get('content-type'), () => c.req.parseBody()));
      if (typeof sent !== 'string' || !constantTimeEqual(sent, token)) {
        throw new ForbiddenError(new Phrase('error.formExpired'));
      }
    }
    await next();
  };
}

async function readFormToken(contentType: string | null, parse: () => Promise<Record<string, unknown>>): Promise<unknown> {
  if (!contentType || !/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(contentType)) return undefined;
  try {
    const body = await parse();
    return body[CSRF_FIELD];
  } catch {
    // A truncated or mis-declared multipart body: the client sent something unreadable.
    throw new BadRequestError(new Phrase('error.formUnreadable'));
  }
}

/** After sign-in the token is replaced, so a token planted before sign-in is worthless. */
export function rotateCsrfToken(c: Parameters<MiddlewareHandler<AppEnv>>[0]): void {
  const token = newSecretToken().token;
  setAppCookie(c, CSRF_COOKIE, token);
  c.set('csrfToken', token);
}
