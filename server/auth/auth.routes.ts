import { Hono, type Context } from 'hono';
import type { FieldErrors } from '../errors';
import { createApiToken, listApiTokens, revokeAllApiTokens, revokeApiToken } from '../api/api-tokens.service';
import { z } from 'zod';
import type { AppEnv } from '../http/context';
import { rotateCsrfToken } from '../http/csrf-token';
import { emailAddress, newPassword, requiredText, saying } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { browserLanguage, requestLanguage } from '../http/reader-language';
import { clearSessionCookie, requireCoach, setSessionCookie, signedInCoach } from '../http/session';
import * as auth from './auth.service';
import { LANGUAGES } from '../i18n/languages';
import { languageOptions } from './language-options';
import { coachText } from './coach-text';

const accountSchema = z.object({
  name: requiredText(120, 'Name'),
  email: emailAddress(),
  password: newPassword(),
});

const loginSchema = z.object({
  email: emailAddress(),
  password: z.string().min(1, saying('validation.required', { label: 'Password' })).max(200, saying('auth.login.passwordTooLong')),
  next: z.string().max(500).optional(),
});

const passwordSchema = z
  .object({
    currentPassword: z.string().min(1, saying('auth.password.currentRequired')).max(200),
    newPassword: newPassword('New password'),
    confirmPassword: z.string().max(200),
  })
  .refine((form) => form.newPassword === form.confirmPassword, { path: ['confirmPassword'], ...saying('auth.password.mismatch') });

const tokenSchema = z.object({ name: requiredText(80, 'Token name') });

const languageSchema = z.object({ language: z.enum(LANGUAGES, saying('validation.language')) });

/** Only same-site paths, never `//host` or `/\host`, so `next` cannot redirect elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

/**
 * Sign-in and account setup, for someone not signed in yet: in their browser's language (see
 * requestLanguage), the title too.
 */
function renderSignedOutPage(c: Context<AppEnv>, page: 'login' | 'setup', values: FormValues, errors: FieldErrors, status: 200 | 422 = 200) {
  const language = requestLanguage(c);
  const title = c.get('deps').views.translator(language).t(`auth.${page}.title`);
  return render(c, `auth/${page}`, { title, narrow: true, language, values, errors }, status);
}

export function authRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/setup/:token', async (c) => {
    const { db } = c.get('deps');
    if (!(await auth.isSetupTokenValid(db, c.req.param('token')))) return c.notFound();
    return renderSignedOutPage(c, 'setup', {}, {});
  });

  routes.post(
    '/setup/:token',
    validForm(accountSchema, async (c, values, errors) => {
      if (!(await auth.isSetupTokenValid(c.get('deps').db, c.req.param('token') ?? ''))) return c.notFound();
      return renderSignedOutPage(c, 'setup', values, errors, 422);
    }),
    async (c) => {
      const { db, clock, config } = c.get('deps');
      const coach = await auth.completeSetup(db, clock, c.req.param('token'), c.req.valid('form'));
      setSessionCookie(c, await auth.startSession(db, clock, coach.id, config.sessionDays));
      rotateCsrfToken(c);
      return redirectWithFlash(c, '/', c.get('deps').views.translator(coach.language).t('flash.auth.welcome', { name: coach.name }));
    },
  );

  routes.get('/login', (c) => {
    if (c.get('coach')) return c.redirect('/', 303);
    return renderSignedOutPage(c, 'login', { next: c.req.query('next') ?? '' }, {});
  });

  routes.post(
    '/login',
    validForm(loginSchema, (c, values, errors) => renderSignedOutPage(c, 'login', values, errors, 422)),
    async (c) => {
      const { db, clock, config } = c.get('deps');
      const form = c.req.valid('form');
      const result = await auth.logIn(db, clock, { email: form.email, password: form.password, ip: c.get('clientIp') }, config.sessionDays);
      if (!result) {
        const incorrect = c.get('deps').views.translator(requestLanguage(c)).t('auth.login.incorrect');
        return renderSignedOutPage(c, 'login', { email: form.email, next: form.next ?? '' }, { _form: incorrect }, 422);
      }
      const previous = c.get('sessionToken');
      if (previous) await auth.logOut(db, previous);
      setSessionCookie(c, result.sessionToken);
      rotateCsrfToken(c);
      return c.redirect(safeNext(form.next), 303);
    },
  );

  routes.post('/logout', async (c) => {
    const token = c.get('sessionToken');
    if (token) await auth.logOut(c.get('deps').db, token);
    clearSessionCookie(c);
    rotateCsrfToken(c);
    // Said on the sign-in page, which is in the browser's language.
    return redirectWithFlash(c, '/login', c.get('deps').views.translator(browserLanguage(c.req.header('accept-language'))).t('flash.auth.signedOut'), 'info');
  });

  const account = new Hono<AppEnv>();
  account.use('*', requireCoach());
  const renderAccount = async (c: Context<AppEnv>, values: FormValues, errors: FieldErrors, extra: { newToken?: string; status?: 200 | 201 | 422 } = {}) =>
    render(
      c,
      'auth/account',
      {
        title: coachText(c, 'account.title'),
        values,
        errors,
        languages: languageOptions(signedInCoach(c).language),
        apiTokens: await listApiTokens(c.get('deps').db, signedInCoach(c).id),
        newToken: extra.newToken,
      },
      extra.status ?? (Object.keys(errors).length ? 422 : 200),
    );
  account.get('/', (c) => renderAccount(c, {}, {}));
  account.post('/language', validForm(languageSchema, renderAccount), async (c) => {
    const { language } = c.req.valid('form');
    await auth.setCoachLanguage(c.get('deps').db, signedInCoach(c).id, language);
    // Said in the language just chosen: the next page is in it.
    return redirectWithFlash(c, '/account', c.get('deps').views.translator(language).t('account.language.saved'));
  });
  account.post('/api-tokens', validForm(tokenSchema, renderAccount), async (c) => {
    const { db, clock } = c.get('deps');
    const { token } = await createApiToken(db, clock, signedInCoach(c).id, c.req.valid('form').name);
    // Shown on this response only: the token is not stored, and not put in a cookie either.
    return renderAccount(c, {}, {}, { newToken: token, status: 201 });
  });
  account.post('/api-tokens/:tokenId/revoke', async (c) => {
    const { db, clock } = c.get('deps');
    await revokeApiToken(db, clock, signedInCoach(c).id, c.req.param('tokenId'));
    return redirectWithFlash(c, '/account#api', coachText(c, 'flash.token.revoked'), 'info');
  });
  account.post('/api-tokens/revoke-all', async (c) => {
    const { db, clock } = c.get('deps');
    const revoked = await revokeAllApiTokens(db, clock, signedInCoach(c).id);
    return redirectWithFlash(c, '/account#api', revoked ? coachText(c, 'flash.token.revokedAll', { count: revoked }) : coachText(c, 'flash.token.none'), 'info');
  });
  account.post(
    '/password',
    validForm(passwordSchema, renderAccount),
    async (c) => {
      const form = c.req.valid('form');
      return orRerender(
        async () => {
          await auth.changePassword(c.get('deps').db, c.get('deps').clock, signedInCoach(c).id, {
            currentPassword: form.currentPassword,
            newPassword: form.newPassword,
            sessionToken: c.get('sessionToken') ?? '',
          });
          return redirectWithFlash(c, '/account', coachText(c, 'flash.password.changed'));
        },
        (errors) => renderAccount(c, {}, errors),
      );
    },
  );
  routes.route('/account', account);

  return routes;
}
