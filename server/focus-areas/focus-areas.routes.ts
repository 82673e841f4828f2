import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { calendarDay, requiredText, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { getEngagement } from '../engagements/engagements.service';
import { roundReport } from '../reports/reports.service';
import { formatMean } from '../reports/report-view';
import { ACTION_STATUSES, ACTION_STATUS_LABELS, MAX_FOCUS_AREAS } from './focus-areas.service';
import * as focusAreas from './focus-areas.service';

const focusSchema = z.object({ ref: requiredText(120, 'Focus area'), goal: text(1000, 'Goal') });
const goalSchema = z.object({ goal: text(1000, 'Goal') });
const actionSchema = z.object({
  description: requiredText(500, 'Action'),
  dueOn: z.union([z.literal(''), calendarDay('Due date')]).transform((value) => value || null),
  status: z.enum(ACTION_STATUSES as [string, ...string[]], { error: 'Choose a status.' }).transform((value) => value as (typeof ACTION_STATUSES)[number]),
});


async function renderPlan(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) {
  const { db } = c.get('deps');
  const coachId = signedInCoach(c).id;
  const engagementId = c.req.param('id') ?? '';
  const engagement = await getEngagement(db, coachId, engagementId);
  const plan = await focusAreas.listPlan(db, coachId, engagement.id);
  const baseline = await focusAreas.planBaseline(db, coachId, engagement.id);
  const model = baseline ? (await roundReport(db, coachId, baseline.id)).publication.model : null;
  const chosen = new Set(plan.map((focus) => `${focus.type}:${focus.refId}`));
  const choices = model?.competencies.map((competency) => ({
    name: competency.name,
    options: [
      { value: `competency:${competency.id}`, label: `The whole competency: ${competency.name}`, mean: othersMean(competency.allOthers) },
      ...competency.items.map((item) => ({ value: `item:${item.id}`, label: item.text, mean: othersMean(item.allOthers) })),
    ].map((option) => ({ ...option, disabled: chosen.has(option.value), selected: values.ref === option.value })),
  }));
  return render(
    c,
    'goals/plan',
    {
      title: `Development plan · ${engagement.clientName}`,
      engagement,
      baseline,
      plan: plan.map((focus, index) => ({
        ...focus,
        number: index + 1,
        actions: focus.actions.map((action) => ({ ...action, statusOptions: ACTION_STATUSES.map((status) => ({ value: status, label: ACTION_STATUS_LABELS[status], selected: status === action.status })) })),
      })),
      canAdd: baseline !== null && plan.length < MAX_FOCUS_AREAS,
      max: MAX_FOCUS_AREAS,
      choices,
      statusOptions: ACTION_STATUSES.map((status) => ({ value: status, label: ACTION_STATUS_LABELS[status] })),
      values,
      errors,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

function othersMean(figure: { withheld: boolean; mean?: number | null }): string {
  return figure.withheld ? '' : `others ${formatMean(figure.mean)}`;
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
        const focus = await focusAreas.addFocusArea(c.get('deps').db, coachId(c), c.req.param('id'), form);
        return redirectWithFlash(c, back(c, `#focus-${focus.id}`), `Focus area added: ${focus.label}`);
      },
      (errors) => renderPlan(c, form, errors),
    );
  });

  routes.post('/:id/focus-areas/:focusId', validForm(goalSchema, renderPlan), async (c) => {
    await focusAreas.updateGoal(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('focusId'), c.req.valid('form').goal);
    return redirectWithFlash(c, back(c, `#focus-${c.req.param('focusId')}`), 'Goal saved.');
  });

  routes.post('/:id/focus-areas/:focusId/remove', async (c) => {
    await focusAreas.removeFocusArea(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('focusId'));
    return redirectWithFlash(c, back(c), 'Focus area removed.', 'info');
  });

  routes.post('/:id/focus-areas/:focusId/actions', validForm(actionSchema, renderPlan), async (c) => {
    await focusAreas.addActionStep(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('focusId'), c.req.valid('form'));
    return redirectWithFlash(c, back(c, `#focus-${c.req.param('focusId')}`), 'Action added.');
  });

  routes.post('/:id/actions/:actionId', validForm(actionSchema, renderPlan), async (c) => {
    await focusAreas.updateActionStep(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('actionId'), c.req.valid('form'));
    return redirectWithFlash(c, back(c), 'Action saved.');
  });

  routes.post('/:id/actions/:actionId/remove', async (c) => {
    await focusAreas.removeActionStep(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('actionId'));
    return redirectWithFlash(c, back(c), 'Action removed.', 'info');
  });

  return routes;
}
