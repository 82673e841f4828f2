import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { requiredText, text } from '../http/fields';
import type { QuestionnaireSnapshot } from '../../reports/types';

export const QUESTIONNAIRE_FORMAT = 'threesixty.questionnaire/v1';
export const NOT_ABLE_TO_RATE = 'Not able to rate';

/** Agreement scales offered by default, lowest point first. */
export const DEFAULT_SCALE_LABELS: Record<number, string[]> = {
  4: ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'],
  5: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
  6: ['Strongly disagree', 'Disagree', 'Slightly disagree', 'Slightly agree', 'Agree', 'Strongly agree'],
  7: ['Strongly disagree', 'Disagree', 'Slightly disagree', 'Neither agree nor disagree', 'Slightly agree', 'Agree', 'Strongly agree'],
};

export const LIMITS = {
  competencies: 30,
  itemsPerCompetency: 30,
  openQuestions: 10,
};

const identifier = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, "-" or "_"');

const scaleSchema = z
  .object({
    points: z.number({ error: 'must be a number' }).int('must be a whole number').min(4, 'must be 4, 5, 6 or 7').max(7, 'must be 4, 5, 6 or 7'),
    labels: z.array(requiredText(60, 'A scale label')),
    naLabel: requiredText(60, 'The "not able to rate" label'),
  })
  .refine((scale) => scale.labels.length === scale.points, {
    path: ['labels'],
    message: 'The scale needs exactly one label per point.',
  });

const itemSchema = z.object({ id: identifier.optional(), text: requiredText(500, 'Item text') });
const competencySchema = z.object({
  id: identifier.optional(),
  name: requiredText(200, 'Competency name'),
  description: text(1000, 'Competency description').default(''),
  items: z.array(itemSchema).max(LIMITS.itemsPerCompetency, `at most ${LIMITS.itemsPerCompetency} items per competency`),
});
const openQuestionSchema = z.object({ id: identifier.optional(), text: requiredText(500, 'Open question') });

/** The questionnaire as stored, edited, imported and exported. Ids may be missing on import. */
export const questionnaireInputSchema = z.object({
  format: z.literal(QUESTIONNAIRE_FORMAT, { error: `must be "${QUESTIONNAIRE_FORMAT}"` }).optional(),
  name: requiredText(200, 'Name'),
  description: text(2000, 'Description').default(''),
  scale: scaleSchema,
  competencies: z.array(competencySchema).max(LIMITS.competencies, `at most ${LIMITS.competencies} competencies`),
  openQuestions: z.array(openQuestionSchema).max(LIMITS.openQuestions, `at most ${LIMITS.openQuestions} open questions`),
});

export type QuestionnaireInput = z.input<typeof questionnaireInputSchema>;

/** A questionnaire with every id assigned: the same shape the report engine reads. */
export type QuestionnaireDefinition = QuestionnaireSnapshot;

function shortId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * Validates input and gives every competency, item and open question a unique id, keeping the
 * ids it already has (so an edited questionnaire keeps its ids) and replacing duplicates.
 */
export function normaliseDefinition(input: unknown): { ok: true; definition: QuestionnaireDefinition } | { ok: false; error: z.ZodError } {
  const parsed = questionnaireInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const used = new Set<string>();
  const claim = (id: string | undefined) => {
    let chosen = id && !used.has(id) ? id : shortId();
    while (used.has(chosen)) chosen = shortId();
    used.add(chosen);
    return chosen;
  };
  const value = parsed.data;
  return {
    ok: true,
    definition: {
      name: value.name,
      description: value.description,
      scale: { points: value.scale.points, labels: value.scale.labels, naLabel: value.scale.naLabel },
      competencies: value.competencies.map((competency) => ({
        id: claim(competency.id),
        name: competency.name,
        description: competency.description,
        items: competency.items.map((item) => ({ id: claim(item.id), text: item.text })),
      })),
      openQuestions: value.openQuestions.map((question) => ({ id: claim(question.id), text: question.text })),
    },
  };
}

/** "competencies[2].items[0].text: Item text is required." — names the field so a person can find it in the file. */
export function describeDefinitionErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (label, part) => (typeof part === 'number' ? `${label}[${part}]` : label ? `${label}.${String(part)}` : String(part)),
      '',
    );
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

/** One message per offending field, keyed by its dotted path (`competencies.2.items.0.text`). */
export function definitionFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.')] ??= issue.message;
  return fields;
}

/** Why a questionnaire cannot be used for a round yet, or null when it can. */
export function whyNotUsable(definition: QuestionnaireDefinition): string | null {
  if (definition.competencies.length === 0) return 'It has no competencies yet.';
  const empty = definition.competencies.find((competency) => competency.items.length === 0);
  return empty ? `The competency "${empty.name}" has no items yet.` : null;
}

export function itemCount(definition: QuestionnaireDefinition): number {
  return definition.competencies.reduce((sum, competency) => sum + competency.items.length, 0);
}

export function toExportDocument(definition: QuestionnaireDefinition): QuestionnaireInput & { format: string } {
  return { format: QUESTIONNAIRE_FORMAT, ...definition };
}
