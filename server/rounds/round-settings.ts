import { InvalidError, phrasedFields } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { Language } from '../i18n/languages';
import { deadlineProblem } from './round-rules';
import type { RaterGroup, RoundPurpose } from './rounds.types';

export const DEFAULT_K = 3;
export const DEFAULT_GROUPS: RaterGroup[] = [
  { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
  { key: 'manager', label: 'Manager', minimum: 1, anonymous: false, self: false },
  { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false },
  { key: 'reports', label: 'Direct reports', minimum: 3, anonymous: true, self: false },
  { key: 'others', label: 'Others', minimum: 3, anonymous: true, self: false },
];

const PURPOSE_LABELS: Record<RoundPurpose, string> = { baseline: 'Baseline 360', evaluation: 'Evaluation 360', pulse: 'Pulse check-in' };

export function roundLabel(purpose: RoundPurpose): string {
  return PURPOSE_LABELS[purpose];
}

/** What the coach chooses for a new or draft round (the round form, the API). */
export interface RoundSettings {
  questionnaireId: string;
  purpose: RoundPurpose;
  deadlineDay: string;
  message: string;
  k: number;
  tau: number | null;
  groups: Array<{ label: string; minimum: number; anonymous: boolean }>;
  /** The raters' default language; absent: the engagement's (a new round) or unchanged (a draft). */
  language?: Language;
}

/** The five groups in their fixed order and keys, with the coach's labels and minimums. */
export function groupsFromSettings(settings: RoundSettings): RaterGroup[] {
  return DEFAULT_GROUPS.map((base, index) => {
    const chosen = settings.groups[index];
    if (base.self || !chosen) return { ...base, label: base.self && chosen ? chosen.label : base.label };
    return { ...base, label: chosen.label, minimum: chosen.minimum, anonymous: chosen.anonymous };
  });
}

/** Refuses a deadline day that has already ended, as an error on the form's deadline field. */
export function assertFutureDeadline(day: string, now: Date): void {
  const problem = deadlineProblem(day, now);
  if (problem) throw new InvalidError(problem, phrasedFields({ deadlineDay: problem }));
}

/** The anonymity rules a coach could break when editing a round (docs/anonymity.md, rule 1). */
export function validateSettings(settings: RoundSettings, groups: RaterGroup[], now: Date, scalePoints: number): void {
  const fields: Record<string, Phrase> = {};
  groups.forEach((group, index) => {
    if (group.anonymous && group.minimum < settings.k) {
      fields[`groups.${index}.minimum`] = new Phrase('error.round.groupMinimum', { group: group.label, k: settings.k });
    }
  });
  const labels = groups.map((group) => group.label.toLowerCase());
  labels.forEach((label, index) => {
    if (labels.indexOf(label) !== index) fields[`groups.${index}.label`] = new Phrase('error.round.groupLabelTaken');
  });
  const deadline = deadlineProblem(settings.deadlineDay, now);
  if (deadline) fields.deadlineDay = deadline;
  if (settings.tau !== null && settings.tau > scalePoints - 1) fields.tau = new Phrase('error.round.tauTooHigh', { max: scalePoints - 1, points: scalePoints });
  if (Object.keys(fields).length) throw new InvalidError(new Phrase('error.round.settingsAttention'), phrasedFields(fields));
}
