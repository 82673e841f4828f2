import type { Coach } from '../../server/auth/coach';
import { assessLeader } from '../../server/demo/demo-leaders';
import { mailContext } from '../../server/http/mail-context';
import { createQuestionnaireFromDocument } from '../../server/questionnaires/questionnaires.service';
import type { TestContext } from '../helpers/test-app';

/**
 * A small practice for norm and team tests: a four-item questionnaire (c1: i1, i2; c2: i3, i4) and
 * leaders assessed through the services, whose figures are known exactly: the three peers of a
 * leader all give the same rating on an item, so the leader's All others mean on it is that rating.
 */
export const ITEMS = ['i1', 'i2', 'i3', 'i4'] as const;
export type Ratings = Record<(typeof ITEMS)[number], number>;

export async function practiceQuestionnaire(context: TestContext, coach: Coach): Promise<string> {
  const questionnaire = await createQuestionnaireFromDocument(context.db, context.clock, coach.id, {
    name: 'Team basics',
    description: '',
    scale: { points: 5, labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'], naLabel: 'Not able to rate' },
    competencies: [
      { id: 'c1', name: 'Direction', description: '', items: [{ id: 'i1', text: 'Sets clear goals' }, { id: 'i2', text: 'Explains decisions' }] },
      { id: 'c2', name: 'People', description: '', items: [{ id: 'i3', text: 'Listens before deciding' }, { id: 'i4', text: 'Develops others' }] },
    ],
    openQuestions: [],
  });
  return questionnaire.id;
}

let leaderCounter = 0;

/** A leader whose three peers rate each item as `others` says, and who rates themself `self` (all items alike by default). */
export async function assessedLeader(
  context: TestContext,
  coach: Coach,
  questionnaireId: string,
  others: Ratings,
  options: { self?: number | Ratings; name?: string; organisation?: string; release?: boolean; email?: string } = {},
) {
  leaderCounter += 1;
  const name = options.name ?? `Leader ${leaderCounter}`;
  const uniformSelf = typeof options.self === 'number' ? options.self : 3;
  const self: Record<string, number> = typeof options.self === 'object' ? options.self : Object.fromEntries(ITEMS.map((item) => [item, uniformSelf]));
  return assessLeader(context.db, mailContext(context.deps), coach.id, {
    clientName: name,
    clientEmail: options.email ?? `leader${leaderCounter}.${Date.now()}@example.com`,
    organisation: options.organisation ?? 'Northwind',
    role: 'Director',
    questionnaireId,
    raters: { peers: 3 },
    answersFor: (group) => ({ ratings: group === 'self' ? self : { ...others }, comments: {} }),
    release: options.release,
  });
}

/** The same rating on every item. */
export function everywhere(value: number): Ratings {
  return { i1: value, i2: value, i3: value, i4: value };
}
