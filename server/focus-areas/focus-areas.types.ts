import type { ActionStepsTable, FocusAreasTable } from '../db/schema';

export type FocusType = FocusAreasTable['type'];
export type ActionStatus = ActionStepsTable['status'];

export interface ActionStep {
  id: string;
  description: string;
  dueOn: string | null;
  status: ActionStatus;
}

/** A competency or item of a released baseline chosen as a development goal, with its goal and actions. */
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
