import type { QuestionnaireDefinition } from './questionnaire-definition';

/** A questionnaire the coach may use: a built-in one or their own. */
export interface Questionnaire {
  id: string;
  coachId: string | null;
  builtin: boolean;
  name: string;
  definition: QuestionnaireDefinition;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Where a page of the questionnaire list starts: after this one (built-in first, then by name). */
export type QuestionnairePosition = [builtin: 0 | 1, name: string, id: string];
