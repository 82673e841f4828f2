import { Hono } from 'hono';
import { NotFoundError } from '../errors';
import type { AppEnv } from '../http/context';
import { MissLimiter } from '../http/rate-limit';
import { browserLanguage } from '../http/reader-language';
import { render } from '../http/render';
import { LaunchedRounds } from '../survey/launched-rounds';
import { privacyPath } from '../rounds/round-emails';
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
      const { views } = c.get('deps');
      const portal = await misses.lookup(c, () => openPortal(db, clock, views.translator, c.req.param('token'), launchedRounds));
      // The page holds a link to each survey: no cache keeps it, and Back shows the progress of now.
      c.header('Cache-Control', 'no-store');
      return render(c, 'portal/list', {
        title: views.translator(portal.language).t('portal.title', { coach: portal.coach.name }),
        layout: 'survey',
        language: portal.language,
        privacyPath: privacyPath(portal.language),
        coachName: portal.coach.name,
        coachEmail: portal.coach.email,
        raterName: portal.raterName,
        surveys: portal.surveys,
        done: portal.surveys.filter((survey) => survey.progress === 'submitted' || survey.progress === 'declined').length,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // A link that leads nowhere says nothing of its rater: the browser's preferred language is all there is.
      const language = browserLanguage(c.req.header('accept-language'));
      return render(c, 'portal/not-found', { title: c.get('deps').views.translator(language).t('portal.notFound.title'), layout: 'survey', language }, 404);
    }
  });

  return routes;
}
