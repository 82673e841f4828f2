import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import { stageLabel } from '../engagements/stages';
import type { AppEnv } from '../http/context';
import { text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { formatGap, formatMean } from '../reports/report-view';
import { roundLabel } from '../rounds/round-settings';
import { labelledPlan } from '../focus-areas/focus-areas.service';
import { saveClosingNote } from '../engagements/engagements.service';
import { engagementSummary } from './closure.service';

const noteSchema = z.object({ closingNote: text(10_000, 'Closing note') });

const VERDICT_TEXT = { 'reliable-improvement': 'reliable improvement', 'reliable-decline': 'reliable decline', 'no-reliable-change': 'no reliable change' };

async function renderSummary(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) {
  const summary = await engagementSummary(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  return render(
    c,
    'closure/summary',
    {
      title: `Summary · ${summary.engagement.clientName}`,
      engagement: { ...summary.engagement, stageLabel: stageLabel(summary.engagement.stage) },
      timeline: summary.timeline.map((entry) => ({ ...entry, label: stageLabel(entry.stage) })),
      rounds: summary.rounds.map((round) => ({ ...round, label: roundLabel(round.purpose), rate: round.progress.invited ? Math.round(round.progress.rate * 100) : null })),
      outcomes: summary.outcomes.map(({ focus, change }) => ({
        ...labelledPlan([focus])[0]!,
        change: !change
          ? null
          : change.compared
            ? { text: `${formatMean(change.baseline.mean)} → ${formatMean(change.evaluation.mean)} (${formatGap(change.difference)}): ${VERDICT_TEXT[change.verdict]}`, kind: change.verdict === 'reliable-improvement' ? 'ok' : change.verdict === 'reliable-decline' ? 'bad' : '' }
            : { text: `not compared (${change.reason})`, kind: '' },
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
    return redirectWithFlash(c, `/engagements/${c.req.param('id')}/summary`, 'Closing note saved.');
  });
  return routes;
}
