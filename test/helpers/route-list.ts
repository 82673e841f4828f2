import type { Hono } from 'hono';
import type { AppEnv } from '../../server/http/context';

/**
 * Routes anyone may call without being a coach. Everything else the router knows is a coach route
 * and is covered by the ownership tests, so a new route cannot be forgotten.
 */
export const PUBLIC_ROUTES = [
  'GET /',
  'GET /healthz',
  'GET /static/*',
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /setup/:token',
  'POST /setup/:token',
  'GET /join/:token',
  'POST /join/:token',
  'GET /s/:token',
  'POST /s/:token',
  'POST /s/:token/draft',
  'GET /s/:token/decline',
  'POST /s/:token/decline',
  'GET /n/:token',
  'POST /n/:token',
  'GET /r/:token',
  'GET /privacy',
  'GET /p/:token',
  // The practice's logo and colours: raters, clients and mail clients load them.
  'GET /branding/logo/:file',
  'GET /branding/theme/:file',
];

export interface RouteEntry {
  method: string;
  path: string;
}

/** Every GET/POST route of the app (middleware registrations left out), deduplicated. */
export function coachRoutes(app: Hono<AppEnv>): RouteEntry[] {
  const seen = new Set<string>();
  const routes: RouteEntry[] = [];
  for (const route of app.routes) {
    if (route.method !== 'GET' && route.method !== 'POST') continue;
    const path = route.path.replace(/\/+$/, '') || '/';
    const key = `${route.method} ${path}`;
    if (seen.has(key) || PUBLIC_ROUTES.includes(key) || path.startsWith('/api/')) continue;
    seen.add(key);
    routes.push({ method: route.method, path });
  }
  return routes;
}
