import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { calendarDay, requiredText, saying, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { fieldErrors, keptValues, orRerender, validForm, type FormValues } from '../http/forms';
import { inOneTransaction } from '../http/request-transaction';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { getEngagement } from '../engagements/engagements.service';
import { coachText } from '../auth/coach-text';
import type { Translator } from '../i18n/translator';
import { roundReport } from '../reports/reports.service';
import { reportInLanguage } from '../reports/report-language';
import { formatMean } from '../reports/report-view';
import { ACTION_STATUSES, MAX_FOCUS_AREAS } from './focus-areas.service';
import { focusLabel } from './focus-label';
import * as focusAreas from './focus-areas.service';

const focusSchema = z.object({ ref: requiredText(120, 'Focus area'), goal: text(1000, 'Goal') });
const actionFields = {
  description: requiredText(500, 'Action'),
  dueOn: z.union([z.literal(''), calendarDay('Due date')]).transform((value) => value || null),
  status: z.enum(ACTION_STATUSES as [string, ...string[]], saying('validation.status')).transform((value) => value as (typeof ACTION_STATUSES)[number]),
};
const actionSchema = z.object(actionFields);

/**
 * The whole plan's goals and actions, saved with one button: `goal.<focus id>`, and
 * `description.<action id>`, `dueOn.<action id>`, `status.<action id>`. Only what the form holds is
 * validated and saved, so a plan changed in another tab since (an action added or removed) is not
 * an error.
 */
function planSchema(plan: Awaited<ReturnType<typeof focusAreas.listPlan>>, form: Record<string, unknown>) {
  const shape: Record<string, z.ZodType> = {};
  for (const focus of plan) {
    if (`goal.${focus.id}` in form) shape[`goal.${focus.id}`] = text(1000, 'Goal');
    for (const action of focus.actions) {
      if (!(`description.${action.id}` in form)) continue;
      for (const [field, schema] of Object.entries(actionFields)) shape[`${field}.${action.id}`] = schema;
    }
  }
  return z.object(shape);
}


async function renderPlan(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) {
  const { db, views } = c.get('deps');
  const { id: coachId, language } = signedInCoach(c);
  const translator = views.translator(language);
  const engagementId = c.req.param('id') ?? '';
  const engagement = await getEngagement(db, coachId, engagementId);
  const plan = await focusAreas.listPlan(db, coachId, engagement.id);
  const baseline = await focusAreas.planBaseline(db, coachId, engagement.id);
  const published = baseline ? (await roundReport(db, coachId, baseline.id)).publication.model : null;
  // Competencies and items in the coach's language, from the baseline's frozen questionnaire (the report page's words).
  const model = published && baseline ? reportInLanguage(published, baseline.snapshot, language) : null;
  const chosen = new Set(plan.map((focus) => `${focus.type}:${focus.refId}`));
  const choices = model?.competencies.map((competency) => ({
    name: competency.name,
    options: [
      { value: `competency:${competency.id}`, label: translator.t('plan.wholeCompetency', { name: competency.name }), mean: othersMean(competency.allOthers, translator) },
      ...competency.items.map((item) => ({ value: `item:${item.id}`, label: item.text, mean: othersMean(item.allOthers, translator) })),
    ].map((option) => ({ ...option, disabled: chosen.has(option.value), selected: values.ref === option.value })),
  }));
  const statusLabel = (status: (typeof ACTION_STATUSES)[number]) => translator.t(`client.plan.status.${status}`);
  return render(
    c,
    'goals/plan',
    {
      title: translator.t('plan.title', { name: engagement.clientName }),
      engagement,
      baseline,
      plan: plan.map((focus, index) => ({
        ...focus,
        label: focusLabel(focus, baseline ? [baseline] : [], language),
        number: index + 1,
        goal: values[`goal.${focus.id}`] ?? focus.goal,
        goalError: errors[`goal.${focus.id}`],
        actions: focus.actions.map((action) => {
          const status = values[`status.${action.id}`] ?? action.status;
          return {
            ...action,
            description: values[`description.${action.id}`] ?? action.description,
            dueOn: values[`dueOn.${action.id}`] ?? action.dueOn,
            errors: { description: errors[`description.${action.id}`], dueOn: errors[`dueOn.${action.id}`], status: errors[`status.${action.id}`] },
            statusOptions: ACTION_STATUSES.map((option) => ({ value: option, label: statusLabel(option), selected: option === status })),
          };
        }),
      })),
      canAdd: baseline !== null && plan.length < MAX_FOCUS_AREAS,
      max: MAX_FOCUS_AREAS,
      choices,
      values,
      errors,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

function othersMean(figure: { withheld: boolean; mean?: number | null }, translator: Translator): string {
  return figure.withheld ? '' : translator.t('report.ranked.others', { others: formatMean(figure.mean, translator.number) });
}

/** The development plan of an engagement: focus areas, goals and action steps. */
export function focusAreaRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const coachId = (c: Context<AppEnv>) => signedInCoach(c).id;
  const back = (c: Context<AppEnv>, anchor = '') => `/engagements/${c.req.param('id')}/plan${anchor}`;

  routes.get('/:id/plan', (c) => renderPlan(c));

  routes.post('/:id/focus-areas', validForm(focusSchema, renderPlan), async (c) => {
    const form = c.req.valid('form');
    return orRerender(
      async () => {
        const { db } = c.get('deps');
        const focus = await focusAreas.addFocusArea(db, coachId(c), c.req.param('id'), form);
        const baseline = await focusAreas.planBaseline(db, coachId(c), c.req.param('id'));
        return redirectWithFlash(c, back(c, `#focus-${focus.id}`), coachText(c, 'flash.plan.added', { label: focusLabel(focus, baseline ? [baseline] : [], signedInCoach(c).language) }));
      },
      (errors) => renderPlan(c, form, errors),
    );
  });

  routes.post('/:id/plan', async (c) => {
    const { db } = c.get('deps');
    const plan = await focusAreas.listPlan(db, coachId(c), c.req.param('id'));
    const form = await c.req.parseBody();
    const parsed = planSchema(plan, form).safeParse(form);
    if (!parsed.success) return renderPlan(c, keptValues(form), fieldErrors(parsed.error));
    const fields = parsed.data as Record<string, string | null>;
    await inOneTransaction(db, async (trx) => {
      for (const focus of plan) {
        const goal = fields[`goal.${focus.id}`];
        if (typeof goal === 'string') await focusAreas.updateGoal(trx, coachId(c), c.req.param('id'), focus.id, goal);
        for (const action of focus.actions) {
          const description = fields[`description.${action.id}`];
          if (typeof description !== 'string') continue;
          const status = fields[`status.${action.id}`] as (typeof ACTION_STATUSES)[number];
          await focusAreas.updateActionStep(trx, coachId(c), c.req.param('id'), action.id, { description, dueOn: fields[`dueOn.${action.id}`] ?? null, status });
        }
      }
    });
    return redirectWithFlash(c, back(c), coachText(c, 'flash.plan.saved'));
  });

  routes.post('/:id/focus-areas/:focusId/remove', async (c) => {
    await focusAreas.removeFocusArea(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('focusId'));
    return redirectWithFlash(c, back(c), coachText(c, 'flash.plan.removed'), 'info');
  });

  routes.post('/:id/focus-areas/:focusId/actions', validForm(actionSchema, renderPlan), async (c) => {
    await focusAreas.addActionStep(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('focusId'), c.req.valid('form'));
    return redirectWithFlash(c, back(c, `#focus-${c.req.param('focusId')}`), coachText(c, 'flash.plan.actionAdded'));
  });

  routes.post('/:id/actions/:actionId/remove', async (c) => {
    await focusAreas.removeActionStep(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('actionId'));
    return redirectWithFlash(c, back(c), coachText(c, 'flash.plan.actionRemoved'), 'info');
  });

  return routes;
}
