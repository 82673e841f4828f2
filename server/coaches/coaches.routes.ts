import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { startSession } from '../auth/auth.service';
import { coachText } from '../auth/coach-text';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { rotateCsrfToken } from '../http/csrf-token';
import { emailAddress, newPassword, requiredText } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { mailContext } from '../http/mail-context';
import { render } from '../http/render';
import { requireCoach, setSessionCookie, signedInCoach } from '../http/session';
import * as coaches from './coaches.service';

const inviteSchema = z.object({ email: emailAddress() });
const joinSchema = z.object({ name: requiredText(120, 'Name'), password: newPassword() });

async function renderCoachesPage(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const { db, clock, mailer } = c.get('deps');
  const { coaches: list, invitations } = await coaches.listCoachesAndInvitations(db, clock, signedInCoach(c));
  return render(
    c,
    'coaches/list',
    { title: coachText(c, 'layout.coaches'), coaches: list, invitations, values, errors, emailConfigured: mailer.deliversEmail, invitationDays: coaches.INVITATION_DAYS },
    Object.keys(errors).length ? 422 : 200,
  );
}

/** Administrator pages for the coaches of this installation. */
export function coachAdminRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireCoach());
  routes.get('/', (c) => renderCoachesPage(c, {}, {}));
  routes.post(
    '/invitations',
    validForm(inviteSchema, renderCoachesPage),
    (c) => {
      const { email } = c.req.valid('form');
      return orRerender(
        async () => {
          await coaches.inviteCoach(c.get('deps').db, mailContext(c.get('deps')), signedInCoach(c), email);
          return redirectWithFlash(c, '/coaches', coachText(c, 'flash.coach.invited', { email, days: coaches.INVITATION_DAYS }));
        },
        (errors) => renderCoachesPage(c, { email }, errors),
      );
    },
  );
  routes.post('/invitations/:id/revoke', async (c) => {
    await coaches.revokeCoachInvitation(c.get('deps').db, signedInCoach(c), c.req.param('id'));
    return redirectWithFlash(c, '/coaches', coachText(c, 'flash.coach.withdrawn'), 'info');
  });
  return routes;
}

/** The invited coach's side: choose a name and password, then they are signed in. */
export function joinRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const renderJoin = async (c: Context<AppEnv>, values: FormValues, errors: FieldErrors) => {
    const { db, clock, views } = c.get('deps');
    const invitation = await coaches.findInvitationForToken(db, clock, c.req.param('token') ?? '');
    // Nobody is signed in yet: the page is in the inviting administrator's language, as their invitation email was.
    const language = await coaches.invitationLanguage(db, invitation);
    return render(c, 'coaches/join', { title: views.translator(language).t('coaches.join.title'), language, invitation, values, errors }, Object.keys(errors).length ? 422 : 200);
  };
  routes.get('/:token', (c) => renderJoin(c, {}, {}));
  routes.post('/:token', validForm(joinSchema, renderJoin), async (c) => {
    const { db, clock, config } = c.get('deps');
    const coach = await coaches.acceptCoachInvitation(db, clock, c.req.param('token'), c.req.valid('form'));
    setSessionCookie(c, await startSession(db, clock, coach.id, config.sessionDays));
    rotateCsrfToken(c);
    // The next page is in the new account's language.
    return redirectWithFlash(c, '/engagements', c.get('deps').views.translator(coach.language).t('flash.coach.welcome', { name: coach.name }));
  });
  return routes;
}
