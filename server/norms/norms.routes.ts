import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppEnv } from '../http/context';
import { saying } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { validForm } from '../http/forms';
import { pageLinks } from '../http/page-links';
import { render } from '../http/render';
import type { Phrase } from '../i18n/phrase';
import { signedInCoach } from '../http/session';
import { coachText } from '../auth/coach-text';
import { decodeCursor } from '../lists';
import { questionnaireVersionsPage } from './leaders.service';
import { normPageView, normSummaryView, versionView } from './norm-view';
import * as norms from './norms.service';

const PAGE_SIZE = 25;

export const VERSION_FIELD = z.string().regex(/^[0-9a-f]{64}$/, saying('validation.version'));
const newNormSchema = z.object({ version: VERSION_FIELD });

/** The page where a norm is created: the questionnaire versions of the coach's closed baselines, and why a norm was refused. */
async function renderNewNorm(c: Context<AppEnv>, refusal: { message: string | Phrase; details: norms.NormRefusal } | null = null, status: ContentfulStatusCode = 200) {
  const { db, config } = c.get('deps');
  const cursor = c.req.query('cursor');
  const page = await questionnaireVersionsPage(db, signedInCoach(c).id, { after: decodeCursor(cursor, z.tuple([z.string().max(64)]))?.[0] ?? null, limit: PAGE_SIZE });
  return render(
    c,
    'norms/new',
    {
      title: coachText(c, 'norms.new.title'),
      versions: page.items.map((version) => versionView(version, config.normMinimumLeaders)),
      ...pageLinks('/norms/new', {}, { cursor, next: page.next }),
      minimumLeaders: config.normMinimumLeaders,
      k: norms.LEADER_K,
      refusal,
    },
    status,
  );
}

async function renderNorm(c: Context<AppEnv>, refusal: { message: string | Phrase; details: norms.NormRefusal } | null = null, status: ContentfulStatusCode = 200) {
  const norm = await norms.getNorm(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  return render(c, 'norms/show', { title: norm.name, norm: normPageView(norm), k: norm.k, refusal }, status);
}

/** A new norm's name in the coach's language ("Norm der Praxis, Dez. 2026, 24 Führungskräfte"), frozen with the norm like the rest of it. */
function coachNormName(c: Context<AppEnv>): norms.NormNamer {
  const month = new Intl.DateTimeFormat(signedInCoach(c).language, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return (createdAt, leaders) => coachText(c, 'norms.name', { month: month.format(createdAt), leaders });
}

/** A refusal of the gate is not a failure: the page is shown again with its explanation (409). */
async function orExplain(work: () => Promise<Response>, explain: (refusal: { message: string | Phrase; details: norms.NormRefusal }) => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof norms.NormRefusedError) return explain({ message: error.phrase, details: error.refusal });
    throw error;
  }
}

/** The coach's practice norms: list, create (behind the gate), look at, archive and restore. */
export function normRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const archived = c.req.query('archived') === '1';
    const cursor = c.req.query('cursor');
    const page = await norms.listNorms(c.get('deps').db, signedInCoach(c).id, { archived }, { after: decodeCursor(cursor, norms.NORM_POSITION), limit: PAGE_SIZE });
    return render(c, 'norms/list', {
      title: coachText(c, archived ? 'norms.list.archivedTitle' : 'norms.list.title'),
      norms: page.items.map(normSummaryView),
      archived,
      ...pageLinks('/norms', archived ? { archived: '1' } : {}, { cursor, next: page.next }),
      minimumLeaders: c.get('deps').config.normMinimumLeaders,
    });
  });

  routes.get('/new', (c) => renderNewNorm(c));

  routes.post(
    '/',
    validForm(newNormSchema, (c) => renderNewNorm(c, null, 422)),
    async (c) => {
      const { db, clock, config } = c.get('deps');
      return orExplain(
        async () => {
          const norm = await norms.createNorm(db, clock, signedInCoach(c).id, c.req.valid('form').version, { minimumLeaders: config.normMinimumLeaders, name: coachNormName(c) });
          return redirectWithFlash(c, `/norms/${norm.id}`, coachText(c, 'flash.norm.created', { name: norm.name }));
        },
        (refusal) => renderNewNorm(c, refusal, 409),
      );
    },
  );

  routes.get('/:id', (c) => renderNorm(c));

  routes.post('/:id/archive', async (c) => {
    const { db, clock } = c.get('deps');
    const norm = await norms.archiveNorm(db, clock, signedInCoach(c).id, c.req.param('id'));
    return redirectWithFlash(c, `/norms/${norm.id}`, coachText(c, 'flash.norm.archived', { name: norm.name }), 'info');
  });

  routes.post('/:id/restore', (c) =>
    orExplain(
      async () => {
        const norm = await norms.restoreNorm(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
        return redirectWithFlash(c, `/norms/${norm.id}`, coachText(c, 'flash.norm.restored', { name: norm.name }));
      },
      (refusal) => renderNorm(c, refusal, 409),
    ),
  );

  return routes;
}
