import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { startSession } from '../auth/auth.service';
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
    { title: 'Coaches', coaches: list, invitations, values, errors, emailConfigured: mailer.deliversEmail },
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
          return redirectWithFlash(c, '/coaches', `Invitation sent to ${email}. The link works once, for 7 days.`);
        },
        (errors) => renderCoachesPage(c, { email }, errors),
      );
    },
  );
  routes.post('/invitations/:id/revoke', async (c) => {
    await coaches.revokeCoachInvitation(c.get('deps').db, signedInCoach(c), c.req.param('id'));
    return redirectWithFlash(c, '/coaches', 'Invitation withdrawn.', 'info');
  });
  return routes;
}

/** The invited coach's side: choose a name and password, then they are signed in. */
export function joinRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const renderJoin = async (c: Context<AppEnv>, values: FormValues, errors: FieldErrors) => {
    const { db, clock } = c.get('deps');
    const invitation = await coaches.findInvitationForToken(db, clock, c.req.param('token') ?? '');
    return render(c, 'coaches/join', { title: 'Join', invitation, values, errors }, Object.keys(errors).length ? 422 : 200);
  };
  routes.get('/:token', (c) => renderJoin(c, {}, {}));
  routes.post('/:token', validForm(joinSchema, renderJoin), async (c) => {
    const { db, clock, config } = c.get('deps');
    const coach = await coaches.acceptCoachInvitation(db, clock, c.req.param('token'), c.req.valid('form'));
    setSessionCookie(c, await startSession(db, clock, coach.id, config.sessionDays));
    rotateCsrfToken(c);
    return redirectWithFlash(c, '/engagements', `Welcome, ${coach.name}. Your account is ready.`);
  });
  return routes;
}
