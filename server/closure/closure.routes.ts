import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import { coachText, coachTranslator } from '../auth/coach-text';
import type { AppEnv } from '../http/context';
import { text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { focusLabel } from '../focus-areas/focus-label';
import { changeReason } from '../reports/change-view';
import { formatGap, formatMean } from '../reports/report-view';
import { saveClosingNote } from '../engagements/engagements.service';
import { engagementSummary } from './closure.service';

const noteSchema = z.object({ closingNote: text(10_000, 'Closing note') });

async function renderSummary(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) {
  const summary = await engagementSummary(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  const translator = coachTranslator(c);
  const { t } = translator;
  const stage = (key: string) => t(`engagement.stage.${key}`);
  return render(
    c,
    'closure/summary',
    {
      title: t('closure.title', { name: summary.engagement.clientName }),
      engagement: { ...summary.engagement, stageLabel: stage(summary.engagement.stage) },
      timeline: summary.timeline.map((entry) => ({ ...entry, label: stage(entry.stage) })),
      rounds: summary.rounds.map((round) => ({ ...round, label: t(`report.purpose.${round.purpose}`), rate: round.progress.invited ? Math.round(round.progress.rate * 100) : null })),
      outcomes: summary.outcomes.map(({ focus, change }) => ({
        ...focus,
        label: focusLabel(focus, summary.rounds, translator.language),
        actions: focus.actions.map((action) => ({ ...action, statusLabel: t(`client.plan.status.${action.status}`) })),
        change: !change
          ? null
          : change.compared
            ? {
                text: t('closure.change', {
                  from: formatMean(change.baseline.mean, translator.number),
                  to: formatMean(change.evaluation.mean, translator.number),
                  difference: formatGap(change.difference, translator.number),
                  verdict: t(`closure.verdict.${change.verdict}`),
                }),
                kind: change.verdict === 'reliable-improvement' ? 'ok' : change.verdict === 'reliable-decline' ? 'bad' : '',
              }
            : { text: t('closure.notCompared', { reason: changeReason(change.reason, translator) }), kind: '' },
      })),
      changeRoundId: summary.change?.evaluation.id ?? null,
      values: { closingNote: summary.engagement.closingNote, ...values },
      errors,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

/** The engagement summary for evaluation and closure (printable), and the coach's closing note. */
export function closureRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:id/summary', (c) => renderSummary(c));
  routes.post('/:id/closing-note', validForm(noteSchema, renderSummary), async (c) => {
    const { db, clock } = c.get('deps');
    await saveClosingNote(db, clock, signedInCoach(c).id, c.req.param('id'), c.req.valid('form').closingNote);
    return redirectWithFlash(c, `/engagements/${c.req.param('id')}/summary`, coachText(c, 'closure.noteSaved'));
  });
  return routes;
}
