import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { apiRoutes } from './api/api.routes';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { authRoutes } from './auth/auth.routes';
import { privacyAdminRoutes, privacyNoticeRoutes } from './privacy/privacy.routes';
import { coachAdminRoutes, joinRoutes } from './coaches/coaches.routes';
import { engagementRoutes } from './engagements/engagements.routes';
import { focusAreaRoutes } from './focus-areas/focus-areas.routes';
import { pulseRoutes } from './pulses/pulses.routes';
import { closureRoutes } from './closure/closure.routes';
import { questionnaireRoutes } from './questionnaires/questionnaires.routes';
import { normRoutes } from './norms/norms.routes';
import { teamRoutes } from './teams/teams.routes';
import { nominationRoutes } from './rounds/nominations.routes';
import { engagementRoundRoutes, roundRoutes } from './rounds/rounds.routes';
import { surveyRoutes } from './survey/survey.routes';
import { portalRoutes } from './portal/portal.routes';
import { clientReportRoutes, roundReportRoutes } from './reports/reports.routes';
import { brandingAdminRoutes, brandingAssetRoutes, loadBranding } from './branding/branding.routes';
import { BrandingCache } from './branding/branding.service';
import type { Clock } from './clock';
import type { Config } from './config';
import type { DatabaseHandle } from './db/connect';
import { pingDatabase } from './db/connect';
import { DomainError, PayloadTooLargeError, RateLimitedError } from './errors';
import { inWords, Phrase } from './i18n/phrase';
import { resolveClientIp } from './http/client-ip';
import type { AppDeps, AppEnv } from './http/context';
import { cspNonce } from './http/csp-nonce';
import { csrfToken } from './http/csrf-token';
import { eventLoopStats } from './http/event-loop-stats';
import { flashMessages } from './http/flash';
import { urlEncodedFormsOnce } from './http/forms';
import { render } from './http/render';
import { requestLanguage } from './http/reader-language';
import { loadSession, requireCoach } from './http/session';
import { loadStaticAssets, type StaticAssets } from './http/static-assets';
import type { Logger } from './logger';
import type { Mailer } from './mail/mailer';
import { OutboxSignal } from './mail/outbox-signal';
import { createViews } from './views';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface AppOptions {
  database: DatabaseHandle;
  config: Config;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
}

/** Static files and templates, loaded once per process and shared by every app built in it. */
let sharedAssets: StaticAssets | undefined;
function staticAssets(): StaticAssets {
  sharedAssets ??= loadStaticAssets(path.join(PROJECT_ROOT, 'static'), {
    'vendor/chart.umd.min.js': path.join(PROJECT_ROOT, 'node_modules/chart.js/dist/chart.umd.min.js'),
    'vendor/swagger-ui-bundle.js': path.join(PROJECT_ROOT, 'node_modules/swagger-ui-dist/swagger-ui-bundle.js'),
    'vendor/swagger-ui.css': path.join(PROJECT_ROOT, 'node_modules/swagger-ui-dist/swagger-ui.css'),
  });
  return sharedAssets;
}

/** Builds the whole web application from its dependencies. No listening, no process.env. */
export function createApp(options: AppOptions): { app: Hono<AppEnv>; deps: AppDeps } {
  const assets = staticAssets();
  const deps: AppDeps = {
    db: options.database.db,
    dbKind: options.database.kind,
    config: options.config,
    clock: options.clock,
    mailer: options.mailer,
    outbox: new OutboxSignal(),
    logger: options.logger,
    views: createViews(path.join(PROJECT_ROOT, 'views'), assets.url),
    branding: new BrandingCache(),
  };
  const publicOrigin = new URL(options.config.publicUrl).origin;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('clientIp', resolveClientIp(c, deps.config));
    await next();
  });
  app.use('*', cspNonce());
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // A printed report's running header is an inline <style> with this response's nonce (server/branding).
        styleSrc: ["'self'", NONCE],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      strictTransportSecurity: options.config.secureCookies ? 'max-age=31536000; includeSubDomains' : false,
      // A response that sets its own policy keeps it (the practice's logo: stricter, and shown by mail clients).
      overwrite: false,
    }),
  );

  app.use('*', async (c, next) => {
    // Ids and tokens are short and printable; anything else cannot name a page. Answering here
    // keeps control characters (which PostgreSQL refuses) away from every query.
    if (!isPlausiblePath(c.req.path)) return respondWithError(c, 404, 'not_found', new Phrase('error.notFound'));
    await next();
  });
  app.get('/healthz', async (c) => {
    try {
      await pingDatabase(deps.db);
      return c.json({ status: 'ok', db: deps.dbKind });
    } catch (error) {
      deps.logger.error('Health check failed', { error });
      return c.json({ status: 'error', db: deps.dbKind }, 503);
    }
  });
  if (options.config.eventLoopStats) app.get('/healthz/event-loop', eventLoopStats());
  app.get('/static/*', assets.handler);

  app.use('*', limitBody());
  // The JSON API authenticates with bearer tokens, not cookies: no session, no CSRF token, no flash.
  app.route('/api', apiRoutes(options.config));
  app.get('/api/docs', (c) => render(c, 'api/docs', { title: 'API documentation', layout: 'bare', scripts: ['vendor/swagger-ui-bundle.js', 'api-docs.js'], styles: ['vendor/swagger-ui.css'] }));
  const browserOnly = (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => (c, next) => (c.req.path.startsWith('/api/') ? next() : middleware(c, next));
  app.route('/branding', brandingAssetRoutes());
  // Before the CSRF check, so that even its refusal page shows the practice's look.
  app.use('*', browserOnly(loadBranding()));
  app.use('*', browserOnly(csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin })));
  // After the Origin check, so a cross-site post is refused before its body is read.
  app.use('*', urlEncodedFormsOnce());
  app.use('*', browserOnly(csrfToken()));
  app.use('*', browserOnly(flashMessages()));
  app.use('*', browserOnly(loadSession()));

  app.get('/', (c) => (c.get('coach') ? c.redirect('/engagements', 303) : c.redirect('/login', 303)));
  app.route('/', authRoutes());
  app.route('/join', joinRoutes());
  app.route('/coaches', coachAdminRoutes());
  app.route('/privacy', privacyNoticeRoutes());
  app.route('/privacy-admin', privacyAdminRoutes());
  app.route('/engagements', withCoach(engagementRoutes()));
  app.route('/engagements', withCoach(engagementRoundRoutes()));
  app.route('/engagements', withCoach(focusAreaRoutes()));
  app.route('/engagements', withCoach(pulseRoutes()));
  app.route('/engagements', withCoach(closureRoutes()));
  app.route('/rounds', withCoach(roundRoutes()));
  app.route('/rounds', withCoach(roundReportRoutes()));
  app.route('/r', clientReportRoutes());
  app.route('/s', surveyRoutes());
  app.route('/p', portalRoutes());
  app.route('/n', nominationRoutes());
  app.route('/questionnaires', withCoach(questionnaireRoutes()));
  app.route('/norms', withCoach(normRoutes()));
  app.route('/teams', withCoach(teamRoutes()));
  app.route('/branding', withCoach(brandingAdminRoutes()));

  app.notFound((c) => respondWithError(c, 404, 'not_found', new Phrase('error.notFound')));
  app.onError((error, c) => {
    if (error instanceof DomainError) {
      if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
      return respondWithError(c, error.status, error.code, error.phrase, error.details);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const message = error.status === 403 ? new Phrase('error.crossSite') : error.message || new Phrase('error.badRequest');
      return respondWithError(c, error.status, error.status === 403 ? 'forbidden' : 'bad_request', message);
    }
    deps.logger.error('Unhandled error', { method: c.req.method, path: c.req.path, error });
    return respondWithError(c, 500, 'internal', new Phrase('error.internal'));
  });

  return { app, deps };
}

/**
 * hono's bodyLimit reads `c.req.raw.body`, which makes @hono/node-server build a full WHATWG
 * Request for every request, GETs included. A request without a body needs no check, and Node's
 * HTTP parser holds a body to its declared Content-Length, so only chunked uploads are counted.
 */
function limitBody(): MiddlewareHandler<AppEnv> {
  const tooLarge = (): never => {
    throw new PayloadTooLargeError(new Phrase('error.tooLargeLimit', { megabytes: MAX_BODY_BYTES / 1024 / 1024 }));
  };
  const counting = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > MAX_BODY_BYTES) tooLarge();
      return next();
    }
    return counting(c, next);
  };
}

/** Puts a coach-only sub-app behind sign-in. */
function withCoach(routes: Hono<AppEnv>): Hono<AppEnv> {
  const guarded = new Hono<AppEnv>();
  guarded.use('*', requireCoach());
  guarded.route('/', routes);
  return guarded;
}

function isPlausiblePath(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  return !/[\u0000-\u001f\u007f]/.test(decoded) && decoded.split('/').every((segment) => segment.length <= 200);
}

/** The statuses whose error page has a title of its own (error.title.<status>); others say "Error". */
const TITLED_STATUSES = new Set([400, 401, 403, 404, 409, 413, 422, 429, 500]);

function wantsJson(c: Context<AppEnv>): boolean {
  return c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').startsWith('application/json');
}

/**
 * The API's error body, in English (a Phrase and the field messages in `details` are Strings whose
 * JSON is their English text); or the error page, in the language of whoever reads it (see
 * requestLanguage).
 */
function respondWithError(c: Context<AppEnv>, status: number, code: string, message: string | Phrase, details?: unknown): Response {
  const statusCode = status as ContentfulStatusCode;
  if (wantsJson(c)) {
    return c.json({ error: { code, message: String(message), ...(details === undefined ? {} : { details }) } }, statusCode);
  }
  const language = requestLanguage(c);
  const translator = c.get('deps').views.translator(language);
  const title = translator.t(`error.title.${TITLED_STATUSES.has(status) ? status : 'other'}`);
  return render(c, 'errors/error', { title, status, message: inWords(message, translator), language }, statusCode);
}
