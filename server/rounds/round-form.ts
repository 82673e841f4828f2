import { z } from 'zod';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/languages';
import { calendarDay, requiredText, saying, text } from '../http/fields';
import type { FormValues } from '../http/forms';
import { DEFAULT_GROUPS, DEFAULT_K, type RoundSettings } from './round-settings';
import type { RaterGroup, Round } from './rounds.types';
import { dayOf } from '../clock';
import type { Translator } from '../i18n/translator';

const minimumSays = (label: string, rule: string) => saying('validation.groupMinimum', { label, values: { rule, min: 1, max: 50 } });
const minimum = (label: string) =>
  z.coerce.number(minimumSays(label, 'number')).int(minimumSays(label, 'whole')).min(1, minimumSays(label, 'min')).max(50, minimumSays(label, 'max'));

const groupFields = Object.fromEntries(
  DEFAULT_GROUPS.flatMap((group, index) => [
    [`g.${index}.label`, requiredText(40, `${group.label} label`)],
    ...(group.self ? [] : [[`g.${index}.minimum`, minimum(group.label)], [`g.${index}.anonymous`, z.literal('on').optional()]]),
  ]),
);

const kSays = (rule: string) => saying('validation.k', { values: { rule, min: 2, max: 10 } });

/** The round settings form: questionnaire, purpose, deadline, message, k, τ and the five rater groups. */
const baseSchema = z.object({
  questionnaireId: requiredText(64, 'Questionnaire'),
  purpose: z.enum(['baseline', 'evaluation'], saying('validation.purpose')),
  deadlineDay: calendarDay('Deadline'),
  message: text(2000, 'Message'),
  k: z.coerce.number(kSays('number')).int(kSays('whole')).min(2, kSays('min')).max(10, kSays('max')),
  tau: z
    .string()
    .trim()
    .transform((value) => (value === '' ? null : Number(value.replace(',', '.'))))
    .refine((value) => value === null || (Number.isFinite(value) && value > 0), saying('validation.threshold')),
  language: z.enum(LANGUAGES, saying('validation.language')).optional(),
});

export const roundFormSchema = baseSchema
  .extend(groupFields)
  .transform((parsed): RoundSettings => {
    const form = parsed as unknown as z.output<typeof baseSchema>;
    const values = parsed as Record<string, unknown>;
    return {
      questionnaireId: form.questionnaireId,
      purpose: form.purpose,
      deadlineDay: form.deadlineDay,
      message: form.message,
      k: form.k,
      tau: form.tau,
      ...(form.language ? { language: form.language } : {}),
      groups: DEFAULT_GROUPS.map((group, index) => ({
        label: values[`g.${index}.label`] as string,
        minimum: group.self ? 1 : (values[`g.${index}.minimum`] as number),
        anonymous: group.self ? false : values[`g.${index}.anonymous`] === 'on',
      })),
    };
  });

/** The form's fields for a new round: two weeks to answer, the default groups, the engagement's language. */
export function newRoundValues(today: Date, questionnaireId: string, language: Language): FormValues {
  const deadline = new Date(today.getTime() + 14 * 86_400_000);
  return { questionnaireId, purpose: 'baseline', deadlineDay: dayOf(deadline), message: '', k: String(DEFAULT_K), tau: '', language, ...groupValues(DEFAULT_GROUPS) };
}

/** The language choice of the round form (and the rater forms): each language in its own name. */
export function languageOptions(selected: string | undefined) {
  return LANGUAGES.map((language) => ({ language, name: LANGUAGE_NAMES[language], selected: language === selected }));
}

export function roundValues(round: Round, groups: RaterGroup[]): FormValues {
  return {
    questionnaireId: round.questionnaireId ?? '',
    purpose: round.purpose,
    deadlineDay: round.deadline.slice(0, 10),
    message: round.message,
    k: String(round.k),
    tau: round.tau === null ? '' : String(round.tau),
    language: round.language,
    ...groupValues(groups),
  };
}

function groupValues(groups: RaterGroup[]): FormValues {
  return Object.fromEntries(
    groups.flatMap((group, index) => [
      [`g.${index}.label`, group.label],
      [`g.${index}.minimum`, String(group.minimum)],
      ...(group.anonymous ? [[`g.${index}.anonymous`, 'on']] : []),
    ]),
  );
}

/**
 * A group's name for the coach: a built-in group under its built-in name reads in their language
 * (the client's own group as "Self-assessment"); a group the coach renamed, as they wrote it.
 */
export function coachGroupLabel(group: Pick<RaterGroup, 'key' | 'label'>, translator: Translator): string {
  const builtIn = DEFAULT_GROUPS.find((candidate) => candidate.key === group.key);
  if (!builtIn || builtIn.label !== group.label) return group.label;
  return translator.t(builtIn.self ? 'roundPage.group.self' : `report.group.${builtIn.key}`);
}

/**
 * The settings with a built-in name the form showed in the coach's language stored as the built-in
 * name itself, so that the group stays built-in: raters, the client and the report read it in their
 * own language, not in the coach's.
 */
export function withBuiltInGroupLabels(settings: RoundSettings, translator: Translator): RoundSettings {
  return {
    ...settings,
    groups: settings.groups.map((group, index) => {
      const builtIn = DEFAULT_GROUPS[index];
      return builtIn && group.label === coachGroupLabel(builtIn, translator) ? { ...group, label: builtIn.label } : group;
    }),
  };
}

/** The group rows of the form, with each row's values and messages; built-in names in the coach's language. */
export function groupRows(values: FormValues, errors: Record<string, string>, translator: Translator) {
  return DEFAULT_GROUPS.map((group, index) => ({
    index,
    self: group.self,
    label: coachGroupLabel({ key: group.key, label: values[`g.${index}.label`] ?? group.label }, translator),
    minimum: values[`g.${index}.minimum`] ?? String(group.minimum),
    anonymous: values[`g.${index}.anonymous`] === 'on',
    labelError: errors[`g.${index}.label`] ?? errors[`groups.${index}.label`],
    minimumError: errors[`g.${index}.minimum`] ?? errors[`groups.${index}.minimum`],
  }));
}
