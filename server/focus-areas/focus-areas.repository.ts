import type { Db } from '../db/schema';
import type { ActionStep, FocusArea } from './focus-areas.types';

/** The engagement's focus areas in order, each with its action steps in order: one statement. */
export async function listFocusAreas(db: Db, engagementId: string): Promise<FocusArea[]> {
  const rows = await db
    .selectFrom('focus_areas')
    .leftJoin('action_steps', 'action_steps.focus_area_id', 'focus_areas.id')
    .selectAll('focus_areas')
    .select(['action_steps.id as step_id', 'action_steps.description', 'action_steps.due_on', 'action_steps.status'])
    .where('focus_areas.engagement_id', '=', engagementId)
    .orderBy('focus_areas.position')
    .orderBy('action_steps.position')
    .execute();
  const areas = new Map<string, FocusArea>();
  for (const row of rows) {
    const focus = areas.get(row.id) ?? { id: row.id, engagementId: row.engagement_id, roundId: row.round_id, type: row.type, refId: row.ref_id, label: row.label, goal: row.goal, actions: [] };
    if (row.step_id !== null) focus.actions.push({ id: row.step_id, description: row.description!, dueOn: row.due_on, status: row.status! });
    areas.set(row.id, focus);
  }
  return [...areas.values()];
}

export async function insertFocusArea(db: Db, focus: Omit<FocusArea, 'actions'>, position: number): Promise<void> {
  await db
    .insertInto('focus_areas')
    .values({ id: focus.id, engagement_id: focus.engagementId, round_id: focus.roundId, type: focus.type, ref_id: focus.refId, label: focus.label, goal: focus.goal, position })
    .execute();
}

export async function updateFocusGoal(db: Db, engagementId: string, id: string, goal: string): Promise<boolean> {
  const result = await db.updateTable('focus_areas').set({ goal }).where('engagement_id', '=', engagementId).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteFocusArea(db: Db, engagementId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('focus_areas').where('engagement_id', '=', engagementId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function insertActionStep(db: Db, focusAreaId: string, step: ActionStep, position: number): Promise<void> {
  await db
    .insertInto('action_steps')
    .values({ id: step.id, focus_area_id: focusAreaId, description: step.description, due_on: step.dueOn, status: step.status, position })
    .execute();
}

/** Only steps under a focus area of this engagement can be changed. */
function ownedStep(db: Db, engagementId: string) {
  return db.selectFrom('focus_areas').select('id').where('engagement_id', '=', engagementId);
}

export async function updateActionStep(db: Db, engagementId: string, id: string, step: Omit<ActionStep, 'id'>): Promise<boolean> {
  const result = await db
    .updateTable('action_steps')
    .set({ description: step.description, due_on: step.dueOn, status: step.status })
    .where('id', '=', id)
    .where('focus_area_id', 'in', ownedStep(db, engagementId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteActionStep(db: Db, engagementId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('action_steps').where('id', '=', id).where('focus_area_id', 'in', ownedStep(db, engagementId)).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
