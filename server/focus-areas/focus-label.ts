import type { Language } from '../i18n/languages';
import { localizedQuestionnaire } from '../questionnaires/questionnaire-languages';
import type { Round } from '../rounds/rounds.types';
import type { FocusArea } from './focus-areas.types';

/** A focus area named in `language`, from the frozen questionnaire of the round it was chosen from; as stored when there is none. */
export function focusLabel(focus: Pick<FocusArea, 'type' | 'refId' | 'roundId' | 'label'>, rounds: Array<Pick<Round, 'id' | 'snapshot'>>, language: Language): string {
  const snapshot = rounds.find((round) => round.id === focus.roundId)?.snapshot;
  if (!snapshot) return focus.label;
  const localized = localizedQuestionnaire(snapshot, language, { fallBackToSource: true });
  const competency = localized.competencies.find((candidate) => (focus.type === 'competency' ? candidate.id === focus.refId : candidate.items.some((item) => item.id === focus.refId)));
  const text = focus.type === 'competency' ? competency?.name : competency?.items.find((item) => item.id === focus.refId)?.text;
  return text ?? focus.label;
}
