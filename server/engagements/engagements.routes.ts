import { Hono } from 'hono';
import { z } from 'zod';
import { addDays, dayOf } from '../clock';
import type { AppEnv } from '../http/context';
import { calendarDay, emailAddress, requiredText, saying, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { pageLinks } from '../http/page-links';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import type { FieldErrors } from '../errors';
import * as engagements from './engagements.service';
import { STAGES, STAGE_KEYS, type Stage } from './stages';
import type { Context } from 'hono';
import { engagementListPage } from './engagement-list';
import { engagementPage } from './engagement-page';
import { LANGUAGES } from '../i18n/languages';
import { languageOptions } from '../auth/language-options';
import { coachText, coachTranslator } from '../auth/coach-text';

const engagementSchema = z.object({
  clientName: requiredText(120, 'Client name'),
  clientEmail: emailAddress('Client email'),
  organisation: text(200, 'Organisation'),
  role: text(200, 'Role'),
  startDate: calendarDay('Start date'),
  notes: text(5000, 'Notes'),
  // Absent: the coach's language for a new engagement, unchanged for an edit.
  language: z.enum(LANGUAGES, saying('validation.language')).optional(),
});

const newEngagementSchema = engagementSchema.extend({
  stage: z.enum(STAGE_KEYS, saying('validation.stage')),
});

const deleteSchema = z.object({ confirmName: requiredText(120, 'The client\'s name') });

const stageSchema = z.object({
  stage: z.enum(STAGE_KEYS, saying('validation.stage')),
  enteredOn: calendarDay('Date entered'),
});

function stageOptions(selected: string) {
  return STAGES.map((stage) => ({ ...stage, selected: stage.key === selected }));
}

function renderForm(c: Context<AppEnv>, values: FormValues, errors: FieldErrors, engagementId?: string) {
  return render(
    c,
    'engagements/form',
    {
      title: coachText(c, engagementId ? 'engagement.form.editTitle' : 'engagement.new'),
      engagementId,
      values,
      errors,
      stages: stageOptions(values.stage ?? 'contracting'),
      languages: languageOptions(values.language ?? signedInCoach(c).language),
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

async function renderEngagementPage(c: Context<AppEnv>, id: string, values: FormValues, errors: FieldErrors) {
  const { db, clock, config } = c.get('deps');
  const page = await engagementPage(db, signedInCoach(c).id, id, coachTranslator(c));
  const { archivedAt, raterDataErasedOn } = page.engagement;
  // When an archived engagement's raters' data goes (or went): said where the coach might delete it.
  const retention = archivedAt ? { days: config.retentionDays, eraseOn: dayOf(addDays(new Date(archivedAt), config.retentionDays)), erasedOn: raterDataErasedOn } : null;
  return render(
    c,
    'engagements/show',
    { ...page, retention, stages: stageOptions(values.stage ?? page.engagement.stage), values: { enteredOn: dayOf(clock.now()), ...values }, errors },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function engagementRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const stageParam = c.req.query('stage') ?? '';
    const stage = (STAGE_KEYS as string[]).includes(stageParam) ? (stageParam as Stage) : null;
    const search = (c.req.query('q') ?? '').slice(0, 120);
    const archived = c.req.query('archived') === '1';
    const cursor = c.req.query('cursor');
    const page = await engagementListPage(c.get('deps').db, signedInCoach(c).id, { search, stage, archived }, cursor);
    const filters = { ...(search ? { q: search } : {}), ...(stage ? { stage } : {}), ...(archived ? { archived: '1' } : {}) };
    return render(c, 'engagements/list', {
      title: coachText(c, 'engagement.list.title'),
      engagements: page.engagements,
      ...pageLinks('/engagements', filters, { cursor, next: page.next }),
      search,
      archived,
      filtered: search !== '' || stage !== null,
      stages: stageOptions(stage ?? ''),
    });
  });

  routes.get('/new', (c) => renderForm(c, { startDate: dayOf(c.get('deps').clock.now()), stage: 'contracting' }, {}));

  routes.post(
    '/',
    validForm(newEngagementSchema, (c, values, errors) => renderForm(c, values, errors)),
    async (c) => {
      const { db, clock } = c.get('deps');
      const engagement = await engagements.createEngagement(db, clock, signedInCoach(c).id, c.req.valid('form'));
      return redirectWithFlash(c, `/engagements/${engagement.id}`, coachText(c, 'flash.engagement.created', { name: engagement.clientName }));
    },
  );

  routes.get('/:id', (c) => renderEngagementPage(c, c.req.param('id'), {}, {}));

  routes.get('/:id/edit', async (c) => {
    const engagement = await engagements.getEngagement(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    const { clientName, clientEmail, organisation, role, startDate, notes, language } = engagement;
    return renderForm(c, { clientName, clientEmail, organisation, role, startDate, notes, language }, {}, engagement.id);
  });

  routes.post(
    '/:id/edit',
    validForm(engagementSchema, async (c, values, errors) => {
      const engagement = await engagements.getEngagement(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
      return renderForm(c, values, errors, engagement.id);
    }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const engagement = await engagements.updateEngagement(db, clock, signedInCoach(c).id, c.req.param('id'), c.req.valid('form'));
      return redirectWithFlash(c, `/engagements/${engagement.id}`, coachText(c, 'flash.saved'));
    },
  );

  routes.post(
    '/:id/stage',
    validForm(stageSchema, (c, values, errors) =>
      renderEngagementPage(c, c.req.param('id') ?? '', values, errors),
    ),
    async (c) => {
      const { db, clock } = c.get('deps');
      const form = c.req.valid('form');
      const engagement = await engagements.moveToStage(db, clock, signedInCoach(c).id, c.req.param('id'), form.stage, form.enteredOn);
      return redirectWithFlash(c, `/engagements/${engagement.id}`, coachText(c, 'flash.engagement.stage', { stage: coachText(c, `engagement.stage.${engagement.stage}`) }));
    },
  );

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    routes.post(`/:id/${action}`, async (c) => {
      const { db, clock } = c.get('deps');
      const engagement = await engagements.setEngagementArchived(db, clock, signedInCoach(c).id, c.req.param('id'), archived);
      return redirectWithFlash(c, `/engagements/${engagement.id}`, coachText(c, archived ? 'flash.engagement.archived' : 'flash.engagement.restored'));
    });
  }

  routes.post(
    '/:id/delete',
    validForm(deleteSchema, (c, values, errors) => renderEngagementPage(c, c.req.param('id') ?? '', values, errors)),
    async (c) => {
      const id = c.req.param('id');
      const { confirmName } = c.req.valid('form');
      return orRerender(
        async () => {
          const deleted = await engagements.deleteEngagement(c.get('deps').db, signedInCoach(c).id, id, confirmName);
          return redirectWithFlash(c, '/engagements?archived=1', coachText(c, 'flash.engagement.deleted', { name: deleted.clientName }));
        },
        (errors) => renderEngagementPage(c, id, { confirmName }, errors),
      );
    },
  );

  return routes;
}
