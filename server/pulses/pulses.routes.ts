import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import { getEngagement } from '../engagements/engagements.service';
import { listPlan, planBaseline } from '../focus-areas/focus-areas.service';
import type { AppEnv } from '../http/context';
import { calendarDay, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { coachText } from '../auth/coach-text';
import { createPulse, defaultPulseDates } from './pulses.service';

const pulseSchema = z.object({ sinceDay: calendarDay('Since'), deadlineDay: calendarDay('Deadline'), message: text(2000, 'Message') });

async function renderNewPulse(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const { db, clock } = c.get('deps');
  const coachId = signedInCoach(c).id;
  const engagement = await getEngagement(db, coachId, c.req.param('id') ?? '');
  const baseline = await planBaseline(db, coachId, engagement.id);
  const focusAreas = await listPlan(db, coachId, engagement.id);
  return render(
    c,
    'pulses/new',
    { title: coachText(c, 'pulseForm.title'), engagement, focusAreas, ready: baseline !== null && focusAreas.length > 0, values: { ...defaultPulseDates(clock, baseline), ...values }, errors },
    Object.keys(errors).length ? 422 : 200,
  );
}

/** Pulse check-ins on the focus areas, during implementation. */
export function pulseRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:id/pulses/new', (c) => renderNewPulse(c, {}, {}));
  routes.post('/:id/pulses', validForm(pulseSchema, renderNewPulse), async (c) => {
    const { db, clock } = c.get('deps');
    const form = c.req.valid('form');
    return orRerender(
      async () => {
        const round = await createPulse(db, clock, signedInCoach(c).id, c.req.param('id'), form);
        return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.pulseCreated'));
      },
      (errors) => renderNewPulse(c, form, errors),
    );
  });
  return routes;
}
