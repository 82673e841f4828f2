import type { Db } from '../db/schema';
import type { ActionStepsTable, FocusAreasTable } from '../db/schema';

export type FocusType = FocusAreasTable['type'];
export type ActionStatus = ActionStepsTable['status'];

export interface ActionStep {
  id: string;
  description: string;
  dueOn: string | null;
  status: ActionStatus;
}

export interface FocusArea {
  id: string;
  engagementId: string;
  roundId: string;
  type: FocusType;
  refId: string;
  label: string;
  goal: string;
  actions: ActionStep[];
}

export async function listFocusAreas(db: Db, engagementId: string): Promise<FocusArea[]> {
  const rows = await db.selectFrom('focus_areas').selectAll().where('engagement_id', '=', engagementId).orderBy('position').execute();
  if (rows.length === 0) return [];
  const steps = await db
    .selectFrom('action_steps')
    .selectAll()
    .where(
      'focus_area_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    engagementId: row.engagement_id,
    roundId: row.round_id,
    type: row.type,
    refId: row.ref_id,
    label: row.label,
    goal: row.goal,
    actions: steps
      .filter((step) => step.focus_area_id === row.id)
      .map((step) => ({ id: step.id, description: step.description, dueOn: step.due_on, status: step.status })),
  }));
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
