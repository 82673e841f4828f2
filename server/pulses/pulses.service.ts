import type { PulseReport } from '../../reports/types';
import type { Db } from '../db/schema';
import { addDays, dayOf, type Clock } from '../clock';
import { getEngagement } from '../engagements/engagements.service';
import { ConflictError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { listPlan, planBaseline } from '../focus-areas/focus-areas.service';
import type { FocusArea } from '../focus-areas/focus-areas.types';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { Round } from '../rounds/rounds.types';
import { createLinkedRound, getRound } from '../rounds/rounds.service';
import { publishedPulseModels, publishedPulseReport, type Publication } from '../reports/versions.service';
import { PULSE_LABELS } from './pulse-scale';
import { formatDay } from '../views';

/**
 * A pulse as a questionnaire the survey can show: one section per focus area (its id is the focus
 * area's id), one rating on the pulse scale and one optional comment each.
 */
export function pulseQuestionnaire(focusAreas: FocusArea[], clientName: string, sinceDay: string): QuestionnaireDefinition {
  const first = clientName.trim().split(/\s+/)[0] ?? clientName;
  const since = formatDay(sinceDay);
  return {
    name: 'Pulse check-in',
    description: `Progress on ${first}'s focus areas since ${since}.`,
    scale: { points: 7, labels: PULSE_LABELS, naLabel: 'Not able to say' },
    competencies: focusAreas.map((focus) => ({
      id: focus.id,
      name: focus.label.replace(/[.]+$/, ''),
      description: focus.goal ? `${first}'s goal: ${focus.goal}` : '',
      items: [{ id: focus.id, text: `Since ${since}, has ${first} become more or less effective at this?` }],
    })),
    openQuestions: focusAreas.map((focus) => ({ id: focus.id, text: `What have you noticed about “${focus.label.replace(/[.]+$/, '')}”? (optional)` })),
  };
}

/** A pulse to the baseline's raters (editable before launch) about the current focus areas. */
export async function createPulse(
  db: Db,
  clock: Clock,
  coachId: string,
  engagementId: string,
  options: { sinceDay: string; deadlineDay: string; message: string },
): Promise<Round> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const baseline = await planBaseline(db, coachId, engagement.id);
  const focusAreas = await listPlan(db, coachId, engagement.id);
  if (!baseline || focusAreas.length === 0) throw new ConflictError(new Phrase('error.pulse.focusFirst'));
  return createLinkedRound(db, clock, coachId, baseline, {
    purpose: 'pulse',
    snapshot: pulseQuestionnaire(focusAreas, engagement.clientName, options.sinceDay),
    deadlineDay: options.deadlineDay,
    message: options.message,
    pulseSince: options.sinceDay,
  });
}

export function defaultPulseDates(clock: Clock, baseline: Round | null): { sinceDay: string; deadlineDay: string } {
  return { sinceDay: dayOf(new Date(baseline?.closedAt ?? clock.now())), deadlineDay: dayOf(addDays(clock.now(), 7)) };
}

export interface PulseTrendPoint {
  roundId: string;
  label: string;
  /** All others' mean per focus area id; null where withheld or unanswered. */
  means: Record<string, number | null>;
}

/**
 * Every pulse among an engagement's rounds (oldest first) with a published version, with All
 * others' mean per focus area in that version (an open pulse shows no figures: docs/anonymity.md,
 * rule 3). The caller has checked that the engagement is the coach's; three statements in all.
 */
export async function pulseTrend(db: Db, engagementId: string, rounds: Round[]): Promise<PulseTrendPoint[]> {
  const models = await publishedPulseModels(db, engagementId, rounds);
  return rounds.flatMap((round) => {
    const model = models.get(round.id);
    if (!model) return [];
    return [{
      roundId: round.id,
      label: formatDay(round.launchedAt ?? round.createdAt),
      means: Object.fromEntries(model.focusAreas.map((focus) => [focus.id, focus.allOthers.withheld ? null : focus.allOthers.mean])),
    }];
  });
}

export async function pulseReportForCoach(db: Db, coachId: string, roundId: string): Promise<{ round: Round; publication: Publication<PulseReport> }> {
  const round = await getRound(db, coachId, roundId);
  return { round, publication: await publishedPulseReport(db, round) };
}
