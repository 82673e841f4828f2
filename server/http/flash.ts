import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, Flash } from './context';
import { clearAppCookie, setAppCookie } from './cookies';

const FLASH_COOKIE = 'flash';
const KINDS = new Set(['success', 'info', 'warning', 'error']);

/** A one-time message carried across a redirect (post/redirect/get) in a short-lived cookie. */
export function setFlash(c: Context<AppEnv>, kind: Flash['kind'], text: string): void {
  setAppCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify({ kind, text })).toString('base64url'), 60);
}

/** Reads a pending message; it stays pending through redirects until a page shows it. */
export function flashMessages(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = getCookie(c, FLASH_COOKIE);
    c.set('flash', raw ? decodeFlash(raw) : null);
    await next();
  };
}

/** Called by the page renderer: the message has now been seen. */
export function takeFlash(c: Context<AppEnv>): Flash | null {
  const flash = c.get('flash');
  if (flash) clearAppCookie(c, FLASH_COOKIE);
  return flash ?? null;
}

function decodeFlash(raw: string): Flash | null {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if (typeof value.text === 'string' && typeof value.kind === 'string' && KINDS.has(value.kind)) {
      return { kind: value.kind, text: value.text.slice(0, 500) };
    }
  } catch {
    // A tampered cookie is just ignored.
  }
  return null;
}

/** Redirect after a successful change, with a message for the next page. */
export function redirectWithFlash(c: Context<AppEnv>, location: string, text: string, kind: Flash['kind'] = 'success'): Response {
  setFlash(c, kind, text);
  return c.redirect(location, 303);
}
