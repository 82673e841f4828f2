import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './context';

/** Every cookie we set: invisible to scripts, not sent on cross-site posts, Secure behind https. */
export function setAppCookie(c: Context<AppEnv>, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').config.secureCookies,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

/** Removing a cookie sends it again (empty, expired), with the same flags as when it was set. */
export function clearAppCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.get('deps').config.secureCookies });
}
