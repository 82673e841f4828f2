import { Hono } from 'hono';
import { NotFoundError } from '../errors';
import type { AppEnv } from '../http/context';
import { MissLimiter } from '../http/rate-limit';
import { render } from '../http/render';
import { LaunchedRounds } from '../survey/launched-rounds';
import { openPortal } from './portal.service';

/** The rater's page of every survey they owe one coach, behind the personal link of a combined email (GET only: answering happens on each survey's page). */
export function portalRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Misses count into the same budget per address as survey and report links (MissLimiter).
  const misses = new MissLimiter();
  const launchedRounds = new LaunchedRounds();

  routes.get('/:token', async (c) => {
    const { db, clock } = c.get('deps');
    try {
      const portal = await misses.lookup(c, () => openPortal(db, clock, c.req.param('token'), launchedRounds));
      // The page holds a link to each survey: no cache keeps it, and Back shows the progress of now.
      c.header('Cache-Control', 'no-store');
      return render(c, 'portal/list', {
        title: `Your surveys for ${portal.coach.name}`,
        layout: 'survey',
        coachName: portal.coach.name,
        coachEmail: portal.coach.email,
        raterName: portal.raterName,
        surveys: portal.surveys,
        done: portal.surveys.filter((survey) => survey.progress === 'submitted' || survey.progress === 'declined').length,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return render(c, 'portal/not-found', { title: 'Link not found', layout: 'survey' }, 404);
    }
  });

  return routes;
}
