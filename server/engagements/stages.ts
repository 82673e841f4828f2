/** The seven stages of a coaching engagement, in order (README, Glossary). */
export const STAGES = [
  { key: 'contracting', label: 'Contracting' },
  { key: 'rapport', label: 'Building rapport' },
  { key: 'assessment', label: 'Assessment and discovery' },
  { key: 'goal-setting', label: 'Goal setting' },
  { key: 'action-planning', label: 'Action planning' },
  { key: 'implementation', label: 'Implementation' },
  { key: 'evaluation', label: 'Evaluation and closure' },
] as const;

export type Stage = (typeof STAGES)[number]['key'];

export const STAGE_KEYS = STAGES.map((stage) => stage.key) as [Stage, ...Stage[]];

export function stageLabel(stage: string): string {
  return STAGES.find((candidate) => candidate.key === stage)?.label ?? stage;
}
