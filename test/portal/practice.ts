import type { ParsedMail } from 'mailparser';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { createQuestionnaireFromDocument } from '../../server/questionnaires/questionnaires.service';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { addRaterList } from '../../server/rounds/invitations.service';
import { DEFAULT_GROUPS } from '../../server/rounds/round-settings';
import { createRound } from '../../server/rounds/rounds.service';
import type { Round } from '../../server/rounds/rounds.types';
import { expect } from 'vitest';
import { recipientsOf } from '../helpers/mail';
import { createClientEngagement } from '../helpers/rounds';
import type { TestContext } from '../helpers/test-app';

/** Three leaders of one organisation, each in coaching with the same coach. */
export const CLIENTS = [
  { clientName: 'Jordan Lee', clientEmail: 'jordan.lee@northwind.example' },
  { clientName: 'Alex Kim', clientEmail: 'alex.kim@northwind.example' },
  { clientName: 'Priya Nair', clientEmail: 'priya.nair@northwind.example' },
];

export const MORGAN = { email: 'morgan.diaz@northwind.example', name: 'Morgan Diaz' };
export const ROBIN = { email: 'robin.shaw@northwind.example', name: 'Robin Shaw' };

/**
 * A draft baseline round (k = 3, the default groups) for each client, with `others` raters of its
 * own per group key and the same `shared` raters ("email,name,group" lines) in every round: the
 * manager of all three, a peer of all three.
 */
export async function roundsSharingRaters(
  context: TestContext,
  coach: Coach,
  shared: string[],
  others: Record<string, number>,
  options: { clients?: typeof CLIENTS; deadlineDay?: string; questionnaireId?: string } = {},
): Promise<Round[]> {
  const rounds: Round[] = [];
  for (const client of options.clients ?? CLIENTS) {
    const engagement = await createClientEngagement(context, coach, client);
    const round = await createRound(context.db, context.clock, coach.id, engagement.id, {
      questionnaireId: options.questionnaireId ?? 'leadership-360',
      purpose: 'baseline',
      deadlineDay: options.deadlineDay ?? '2026-03-16',
      message: `Thank you for helping ${client.clientName.split(' ')[0]} grow.`,
      k: 3,
      tau: null,
      groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
    });
    const own = Object.entries(others).flatMap(([group, count]) => Array.from({ length: count }, (_, index) => `${group}-${index + 1}-${round.id.slice(0, 6).toLowerCase()}@example.com,${group} rater ${index + 1},${group}`));
    const lines = [...own, ...shared];
    if (lines.length) expect((await addRaterList(context.db, mailContext(context.deps), coach.id, round.id, lines.join('\n'))).errors).toEqual([]);
    rounds.push(round);
  }
  return rounds;
}

/** A questionnaire of two statements and one open question: small rows, which keep in the file the order they were written in. */
export async function shortQuestionnaire(context: TestContext, coach: Coach): Promise<string> {
  const [competency] = LEADERSHIP_360.competencies;
  const document = { ...structuredClone(LEADERSHIP_360), name: 'Two questions', competencies: [{ ...competency!, items: competency!.items.slice(0, 2) }], openQuestions: LEADERSHIP_360.openQuestions.slice(0, 1) };
  return (await createQuestionnaireFromDocument(context.db, context.clock, coach.id, document)).id;
}

export function mailsTo(messages: readonly ParsedMail[], address: string): ParsedMail[] {
  return messages.filter((mail) => recipientsOf(mail).includes(address));
}

export interface PortalEntry {
  progress: string;
  heading: string;
  text: string;
  href: string | null;
}

/** The surveys listed on a portal page, in page order: heading, state, and the button's link when there is one. */
export function portalEntries(html: string): PortalEntry[] {
  return [...html.matchAll(/<li class="portal-survey is-([a-z-]+)">([\s\S]*?)<\/li>/g)].map((match) => ({
    progress: match[1]!,
    heading: /<h3>([^<]*)<\/h3>/.exec(match[2]!)![1]!.replace(/&#x27;/g, "'"),
    text: match[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
    href: /href="(\/s\/[A-Za-z0-9_-]{43})"/.exec(match[2]!)?.[1] ?? null,
  }));
}
