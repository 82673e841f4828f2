import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { render } from '../http/render';
import type { RaterLineError } from './rater-list';
import { groupLabel } from './round-emails';
import { findNominationPage, submitNominations } from './nominations.service';

/** The client's private page for suggesting raters (before the round is launched), in the engagement's language (the client's). */
export function nominationRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const renderPage = async (c: Context<AppEnv>, list: string | null, errors: RaterLineError[], saved = false) => {
    const page = await findNominationPage(c.get('deps').db, c.req.param('token') ?? '');
    const proposed = page.nominations.filter((nomination) => nomination.status !== 'rejected');
    const { language } = page.engagement;
    const translator = c.get('deps').views.translator(language);
    const groups = page.groups.map((group) => ({ ...group, label: groupLabel(translator, group) }));
    const labelOf = (key: string) => groups.find((group) => group.key === key)?.label ?? key;
    return render(
      c,
      'rounds/nominate',
      {
        title: translator.t('nomination.title'),
        layout: 'survey',
        language,
        token: c.req.param('token'),
        clientName: page.engagement.clientName,
        groups: groups.filter((group) => !group.self),
        k: page.round.k,
        list: list ?? proposed.map((nomination) => `${nomination.email},${nomination.name},${labelOf(nomination.groupKey)}`).join('\n'),
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
    const result = await submitNominations(c.get('deps').db, c.get('deps').clock, c.req.param('token'), list, c.get('deps').views.translator);
    return renderPage(c, result.errors.length ? list : null, result.errors, result.errors.length === 0);
  });
  return routes;
}
