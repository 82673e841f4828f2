import { latestComparison } from '../closure/closure.service';
import type { Db } from '../db/schema';
import { developmentPlan } from '../focus-areas/focus-areas.service';
import { pulseTrend } from '../pulses/pulses.service';
import { formatGap, type NumberFormat } from '../reports/report-view';
import type { Translator } from '../i18n/translator';
import { formatDay } from '../views';
import { listRoundsWithProgress } from '../rounds/round-progress';
import { offerClosure } from '../rounds/round-rules';
import { listStageEntries } from './engagements.repository';
import { getEngagement } from './engagements.service';
import { STAGES, STAGE_KEYS, type Stage } from './stages';

/** The seven stages with the ones already passed marked, for the progress strip. */
function stageProgress(current: Stage) {
  const reached = STAGE_KEYS.indexOf(current);
  return STAGES.map((stage, index) => ({ ...stage, done: index < reached, now: index === reached }));
}

/**
 * The engagement page: the client, the stage timeline, every round with its response counts, the
 * development plan, the pulse trend, and the offer to move to "Evaluation and closure". The same
 * eight statements whatever the number of rounds (a test counts them).
 */
export async function engagementPage(db: Db, coachId: string, engagementId: string, translator: Translator) {
  const engagement = await getEngagement(db, coachId, engagementId);
  const [timeline, rounds, plan] = await Promise.all([listStageEntries(db, engagement.id), listRoundsWithProgress(db, engagement.id), developmentPlan(db, engagement.id)]);
  // Days and figures as the coach's language writes them.
  const trend = (await pulseTrend(db, engagement.id, rounds)).map((point) => {
    const round = rounds.find((candidate) => candidate.id === point.roundId);
    return { ...point, label: round ? formatDay(round.launchedAt ?? round.createdAt, translator.language) : point.label };
  });
  const number: NumberFormat = (value, digits) => translator.number(value, digits);
  const comparison = latestComparison(rounds);
  return {
    title: engagement.clientName,
    engagement,
    timeline: timeline.map((entry, index) => ({ ...entry, current: index === timeline.length - 1 })),
    progress: stageProgress(engagement.stage),
    rounds,
    plan,
    trend: trend.length
      ? {
          chart: { labels: trend.map((point) => point.label), series: plan.map((focus) => ({ label: focus.label, data: trend.map((point) => point.means[focus.id] ?? null) })) },
          rows: plan.map((focus) => ({ label: focus.label, values: trend.map((point) => formatGap(point.means[focus.id] ?? null, number)) })),
          labels: trend.map((point) => point.label),
        }
      : null,
    // One pulse is a table; a trend needs at least two points.
    showTrendChart: trend.length > 1,
    scripts: trend.length > 1 ? ['vendor/chart.umd.min.js', 'report-charts.js'] : [],
    offerClosure: offerClosure(engagement.stage, comparison),
    changeRoundId: comparison?.evaluation.id ?? null,
  };
}
