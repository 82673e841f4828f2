import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { coachForSession } from '../auth/auth.service';
import type { Context } from 'hono';
import { UnauthorizedError } from '../errors';
import type { Coach } from '../auth/coach';
import type { AppEnv } from './context';
import { setAppCookie, clearAppCookie } from './cookies';

export const SESSION_COOKIE = 'sid';

/** Loads the signed-in coach, if any, from the session cookie. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('coach', null);
    c.set('sessionToken', null);
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const { db, clock } = c.get('deps');
      const coach = await coachForSession(db, clock, token);
      if (coach) {
        c.set('coach', coach);
        c.set('sessionToken', token);
      } else {
        clearAppCookie(c, SESSION_COOKIE);
      }
    }
    await next();
  };
}

export function setSessionCookie(c: Parameters<MiddlewareHandler<AppEnv>>[0], token: string): void {
  setAppCookie(c, SESSION_COOKIE, token, c.get('deps').config.sessionDays * 86_400);
}

export function clearSessionCookie(c: Parameters<MiddlewareHandler<AppEnv>>[0]): void {
  clearAppCookie(c, SESSION_COOKIE);
}

/** Coach pages: anonymous callers are sent to sign in (and brought back afterwards). */
export function requireCoach(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('coach')) {
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/login${back}`, 303);
    }
    await next();
  };
}

/** The coach of a request that passed `requireCoach`. */
export function signedInCoach(c: Context<AppEnv>): Coach {
  const coach = c.get('coach');
  if (!coach) throw new UnauthorizedError();
  return coach;
}
