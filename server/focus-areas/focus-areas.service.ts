import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import { ConflictError, InvalidError, NotFoundError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { listReleases } from '../reports/reports.repository';
import { listEngagementRounds } from '../rounds/rounds.repository';
import type { Round } from '../rounds/rounds.types';
import { newId } from '../secrets';
import * as repo from './focus-areas.repository';
import type { ActionStatus, ActionStep, FocusArea, FocusType } from './focus-areas.types';

export const MAX_FOCUS_AREAS = 3;
export const ACTION_STATUSES: ActionStatus[] = ['planned', 'in-progress', 'done'];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { planned: 'Planned', 'in-progress': 'In progress', done: 'Done' };

/** The plan with each action's status in words, for the pages that show it. */
export function labelledPlan(plan: FocusArea[]) {
  return plan.map((focus) => ({ ...focus, actions: focus.actions.map((action) => ({ ...action, statusLabel: ACTION_STATUS_LABELS[action.status] })) }));
}

/**
 * The baseline round a development plan is built on: the latest baseline round whose report has
 * been released to the client (focus areas are chosen together, from what the client has seen).
 */
export async function planBaseline(db: Db, coachId: string, engagementId: string): Promise<(Round & { snapshot: QuestionnaireDefinition }) | null> {
  const engagement = await getEngagement(db, coachId, engagementId);
  const baselines = (await listEngagementRounds(db, engagement.id)).filter((round) => round.purpose === 'baseline' && round.snapshot).reverse();
  for (const round of baselines) {
    if ((await listReleases(db, round.id)).length > 0) return round as Round & { snapshot: QuestionnaireDefinition };
  }
  return null;
}

export function focusLabel(snapshot: QuestionnaireDefinition, type: FocusType, refId: string): string | null {
  for (const competency of snapshot.competencies) {
    if (type === 'competency' && competency.id === refId) return competency.name;
    const item = competency.items.find((candidate) => candidate.id === refId);
    if (type === 'item' && item) return item.text;
  }
  return null;
}

export async function listPlan(db: Db, coachId: string, engagementId: string): Promise<FocusArea[]> {
  const engagement = await getEngagement(db, coachId, engagementId);
  return repo.listFocusAreas(db, engagement.id);
}

/** The plan of an engagement the caller has checked access to (the coach's own, or a client's report link). */
export function developmentPlan(db: Db, engagementId: string): Promise<FocusArea[]> {
  return repo.listFocusAreas(db, engagementId);
}

/** Adds a competency or item of the released baseline as a focus area (at most three). */
export async function addFocusArea(db: Db, coachId: string, engagementId: string, choice: { ref: string; goal: string }): Promise<FocusArea> {
  const baseline = await planBaseline(db, coachId, engagementId);
  if (!baseline) throw new ConflictError(new Phrase('error.focus.releaseFirst'));
  const [type, refId = ''] = choice.ref.split(':') as [string, string | undefined];
  const label = type === 'competency' || type === 'item' ? focusLabel(baseline.snapshot, type, refId) : null;
  if (!label) throw new InvalidError(new Phrase('error.focus.chooseRef'), phrasedFields({ ref: new Phrase('error.focus.chooseRefOfReport') }));
  const existing = await repo.listFocusAreas(db, engagementId);
  if (existing.length >= MAX_FOCUS_AREAS) throw new InvalidError(new Phrase('error.focus.atMost'), phrasedFields({ ref: new Phrase('error.focus.atMostRemoveOne', { max: MAX_FOCUS_AREAS }) }));
  if (existing.some((focus) => focus.type === type && focus.refId === refId)) throw new InvalidError(new Phrase('error.focus.alreadyChosen'), phrasedFields({ ref: new Phrase('error.focus.alreadyFocusArea') }));
  const focus = { id: newId(), engagementId, roundId: baseline.id, type: type as FocusType, refId, label, goal: choice.goal };
  await repo.insertFocusArea(db, focus, existing.length);
  return { ...focus, actions: [] };
}

async function ownFocus(db: Db, coachId: string, engagementId: string, focusId: string): Promise<FocusArea> {
  const focus = (await listPlan(db, coachId, engagementId)).find((candidate) => candidate.id === focusId);
  if (!focus) throw new NotFoundError();
  return focus;
}

export async function updateGoal(db: Db, coachId: string, engagementId: string, focusId: string, goal: string): Promise<void> {
  await ownFocus(db, coachId, engagementId, focusId);
  await repo.updateFocusGoal(db, engagementId, focusId, goal);
}

export async function removeFocusArea(db: Db, coachId: string, engagementId: string, focusId: string): Promise<void> {
  await ownFocus(db, coachId, engagementId, focusId);
  await repo.deleteFocusArea(db, engagementId, focusId);
}

export async function addActionStep(db: Db, coachId: string, engagementId: string, focusId: string, step: Omit<ActionStep, 'id'>): Promise<void> {
  const focus = await ownFocus(db, coachId, engagementId, focusId);
  await repo.insertActionStep(db, focus.id, { ...step, id: newId() }, focus.actions.length);
}

export async function updateActionStep(db: Db, coachId: string, engagementId: string, actionId: string, step: Omit<ActionStep, 'id'>): Promise<void> {
  await getEngagement(db, coachId, engagementId);
  if (!(await repo.updateActionStep(db, engagementId, actionId, step))) throw new NotFoundError();
}

export async function removeActionStep(db: Db, coachId: string, engagementId: string, actionId: string): Promise<void> {
  await getEngagement(db, coachId, engagementId);
  if (!(await repo.deleteActionStep(db, engagementId, actionId))) throw new NotFoundError();
}
