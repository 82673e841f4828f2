import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { render } from '../http/render';
import { formatDay } from '../views';
import type { RaterLineError } from './rater-list';
import { findNominationPage, submitNominations } from './nominations.service';

/** The client's private page for suggesting raters (before the round is launched). */
export function nominationRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const renderPage = async (c: Context<AppEnv>, list: string | null, errors: RaterLineError[], saved = false) => {
    const page = await findNominationPage(c.get('deps').db, c.req.param('token') ?? '');
    const proposed = page.nominations.filter((nomination) => nomination.status !== 'rejected');
    const groupLabel = (key: string) => page.groups.find((group) => group.key === key)?.label ?? key;
    return render(
      c,
      'rounds/nominate',
      {
        title: 'Suggest raters',
        layout: 'survey',
        token: c.req.param('token'),
        clientName: page.engagement.clientName,
        deadline: formatDay(page.round.deadline),
        groups: page.groups.filter((group) => !group.self),
        k: page.round.k,
        list: list ?? proposed.map((nomination) => `${nomination.email},${nomination.name},${groupLabel(nomination.groupKey)}`).join('\n'),
        errors,
        saved,
        proposedCount: proposed.length,
      },
      errors.length ? 422 : 200,
    );
  };

  routes.get('/:token', (c) => renderPage(c, null, []));
  routes.post('/:token', async (c) => {
    const body = await c.req.parseBody();
    const list = typeof body.list === 'string' ? body.list : '';
    const result = await submitNominations(c.get('deps').db, c.get('deps').clock, c.req.param('token'), list);
    return renderPage(c, result.errors.length ? list : null, result.errors, result.errors.length === 0);
  });
  return routes;
}
