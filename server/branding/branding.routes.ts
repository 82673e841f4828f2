import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { saying, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { requireCoach, signedInCoach } from '../http/session';
import { coachText, coachTranslator } from '../auth/coach-text';
import * as branding from './branding.service';
import { MAX_LOGO_BYTES } from './logo-image';
import { contrastRatio, paletteOf } from './palette';

/** One line: a name goes into a header (From) and a heading, where a line break has no place. */
function oneLine(max: number, label: string) {
  return text(max, label).refine((value) => !/[\r\n]/.test(value), saying('validation.oneLine', { label }));
}

const settingsSchema = z.object({
  practiceName: oneLine(80, 'Practice name'),
  accentColour: text(20, 'Accent colour'),
  senderName: oneLine(80, 'Sender name'),
  replyTo: text(254, 'Reply-to address')
    .refine((value) => value === '' || z.email().safeParse(value).success, saying('validation.replyTo'))
    .transform((value) => value.toLowerCase()),
});

/** Puts the installation's look where every layout finds it (render passes it on as `branding`). */
export function loadBranding(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, branding: cache } = c.get('deps');
    c.set('branding', (await cache.current(db)).page);
    await next();
  };
}

const YEAR_IN_SECONDS = 31_536_000;
const LOGO_FILE = /^([0-9a-f]{16})\.png$/;
const THEME_FILE = /^([0-9a-f]{16})\.css$/;

/**
 * The logo and the colours, for anyone: raters, clients and mail clients load them. Each URL
 * names its content's hash, so it is cached for a year; an old logo URL (in an email sent before
 * the logo changed) leads to the current one.
 */
export function brandingAssetRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/logo/:file', async (c) => {
    const requested = LOGO_FILE.exec(c.req.param('file'))?.[1];
    const logo = requested ? await branding.readLogo(c.get('deps').db) : null;
    if (!logo) return c.notFound();
    if (logo.hash !== requested) {
      c.header('Cache-Control', 'no-cache');
      return c.redirect(branding.logoUrl(logo), 302);
    }
    return c.body(new Uint8Array(logo.png), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': `public, max-age=${YEAR_IN_SECONDS}, immutable`,
      'Content-Disposition': 'inline; filename="logo.png"',
      // Opened on its own, the image may do nothing; mail clients on other origins may show it.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });
  routes.get('/theme/:file', async (c) => {
    const requested = THEME_FILE.exec(c.req.param('file'))?.[1];
    const { db, branding: cache } = c.get('deps');
    const path = `${branding.THEME_PATH}/${requested}.css`;
    let { page } = await cache.current(db);
    // Another instance may have saved new colours since this one last read them.
    if (requested && page.themeUrl !== path) {
      cache.forget();
      ({ page } = await cache.current(db));
    }
    if (!requested || page.themeUrl !== path || !page.themeCss) return c.notFound();
    return c.body(page.themeCss, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': `public, max-age=${YEAR_IN_SECONDS}, immutable` });
  });
  return routes;
}

async function renderSettings(c: Context<AppEnv>, values: FormValues, errors: FieldErrors, logoError?: string): Promise<Response> {
  const { db, config, branding: cache } = c.get('deps');
  const translator = coachTranslator(c);
  const current = await branding.readBranding(db);
  const palette = current.accentColour ? paletteOf(current.accentColour) : null;
  const identity = branding.mailIdentity(current, config.mailFrom, config.publicUrl);
  return render(
    c,
    'branding/edit',
    {
      title: translator.t('branding.menu'),
      narrow: false,
      current,
      logo: (await cache.current(db)).page.logo,
      palette: palette && {
        ...palette,
        advice: branding.accentAdvice(palette, translator),
        brandContrast: translator.number(contrastRatio(palette.brand, '#ffffff'), 2),
        brandDarkContrast: translator.number(contrastRatio(palette.brandDark, '#ffffff'), 2),
      },
      from: identity.from,
      mailFrom: config.mailFrom,
      maxLogoKb: MAX_LOGO_BYTES / 1024,
      values: {
        practiceName: current.practiceName ?? '',
        accentColour: current.accentColour ?? '',
        senderName: current.senderName ?? '',
        replyTo: current.replyTo ?? '',
        ...values,
      },
      errors,
      logoError,
    },
    Object.keys(errors).length || logoError ? 422 : 200,
  );
}

/** The administrator's branding page: settings, and the logo (uploaded apart: a file form). */
export function brandingAdminRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireCoach());
  // Every page here is the administrator's; other coaches get the 404 of a page that does not exist.
  routes.use('*', async (c, next) => {
    branding.assertAdministrator(signedInCoach(c));
    await next();
  });
  routes.get('/', (c) => renderSettings(c, {}, {}));
  routes.post('/', validForm(settingsSchema, renderSettings), (c) => {
    const { db, clock, branding: cache } = c.get('deps');
    const form = c.req.valid('form');
    return orRerender(
      async () => {
        const saved = await branding.saveBrandingSettings(db, clock, signedInCoach(c), form);
        cache.forget();
        const advice = saved.accentColour ? branding.accentAdvice(paletteOf(saved.accentColour), coachTranslator(c)) : null;
        return redirectWithFlash(c, '/branding', advice ? coachText(c, 'flash.practiceLook.savedWithAdvice', { advice }) : coachText(c, 'flash.practiceLook.saved'), advice ? 'warning' : 'success');
      },
      (errors) => renderSettings(c, form, errors),
    );
  });
  routes.post('/logo', async (c) => {
    const { db, clock, branding: cache } = c.get('deps');
    const admin = signedInCoach(c);
    const upload = (await c.req.parseBody()).logo;
    // In memory already, within the app's body limit; replaceLogo refuses more than MAX_LOGO_BYTES.
    const bytes = upload instanceof File ? Buffer.from(await upload.arrayBuffer()) : Buffer.alloc(0);
    return orRerender(
      async () => {
        await branding.replaceLogo(db, clock, admin, bytes);
        cache.forget();
        return redirectWithFlash(c, '/branding#logo', coachText(c, 'flash.practiceLook.logoSaved'));
      },
      (errors) => renderSettings(c, {}, {}, errors.logo ?? errors._form),
    );
  });
  routes.post('/logo/remove', async (c) => {
    const { db, clock, branding: cache } = c.get('deps');
    await branding.removeLogo(db, clock, signedInCoach(c));
    cache.forget();
    return redirectWithFlash(c, '/branding#logo', coachText(c, 'flash.practiceLook.logoRemoved'), 'info');
  });
  return routes;
}
