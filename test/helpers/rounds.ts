import type { Coach } from '../../server/auth/coach';
import { createEngagement } from '../../server/engagements/engagements.service';
import type { Engagement } from '../../server/engagements/engagements.types';
import { mailContext } from '../../server/http/mail-context';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { addRaterList } from '../../server/rounds/invitations.service';
import { DEFAULT_GROUPS } from '../../server/rounds/round-settings';
import { createRound, launchRound } from '../../server/rounds/rounds.service';
import type { Round } from '../../server/rounds/rounds.types';
import { expect } from 'vitest';
import type { TestBrowser } from './http-client';
import type { TestContext } from './test-app';

export const ITEM_IDS = LEADERSHIP_360.competencies.flatMap((competency) => competency.items.map((item) => item.id));

export async function createClientEngagement(context: TestContext, coach: Coach, overrides: Partial<{ clientName: string; clientEmail: string }> = {}): Promise<Engagement> {
  return createEngagement(context.db, context.clock, coach.id, {
    clientName: overrides.clientName ?? 'Jordan Lee',
    clientEmail: overrides.clientEmail ?? 'jordan.lee@example.com',
    organisation: 'Northwind',
    role: 'Chief Financial Officer',
    startDate: '2026-02-01',
    notes: '',
    stage: 'assessment',
  });
}

/** A draft round on Leadership 360 with `raters` per group key (emails like peers-1@example.com). */
export async function createRoundWithRaters(
  context: TestContext,
  coach: Coach,
  raters: Record<string, number>,
  options: { engagement?: Engagement; deadlineDay?: string; message?: string; k?: number } = {},
): Promise<{ round: Round; engagement: Engagement }> {
  const engagement = options.engagement ?? (await createClientEngagement(context, coach));
  const round = await createRound(context.db, context.clock, coach.id, engagement.id, {
    questionnaireId: 'leadership-360',
    purpose: 'baseline',
    deadlineDay: options.deadlineDay ?? '2026-03-16',
    message: options.message ?? 'Thank you for helping Jordan grow.',
    k: options.k ?? 3,
    tau: null,
    groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.self ? 1 : Math.max(group.minimum, group.anonymous ? options.k ?? 3 : 1), anonymous: group.anonymous })),
  });
  const lines = Object.entries(raters).flatMap(([group, count]) =>
    Array.from({ length: count }, (_, index) => `${group}-${index + 1}-${round.id.slice(0, 6).toLowerCase()}@example.com,${group} rater ${index + 1},${group}`),
  );
  if (lines.length) {
    const result = await addRaterList(context.db, mailContext(context.deps), coach.id, round.id, lines.join('\n'));
    expect(result.errors).toEqual([]);
  }
  return { round, engagement };
}

export async function launch(context: TestContext, coach: Coach, roundId: string): Promise<number> {
  return launchRound(context.db, mailContext(context.deps), coach.id, roundId);
}

/** Every item's rating field on a survey page, in page order. */
export function surveyItemIds(html: string): string[] {
  return [...new Set([...html.matchAll(/name="r\.([A-Za-z0-9_-]+)"/g)].map((match) => match[1]!))];
}

/** Answers every item with `rate(itemId, index)` (a number or "na") and submits. */
export async function answerSurvey(
  browser: Pick<TestBrowser, 'get' | 'post'>,
  path: string,
  rate: (itemId: string, index: number) => number | 'na' = (_id, index) => (index % 5) + 1,
  comments: Record<string, string> = {},
  intent: 'submit' | 'save' = 'submit',
) {
  const page = await browser.get(path);
  expect(page.status).toBe(200);
  // Submitting means confirming the privacy notice, as a rater ticks its box.
  const fields: Record<string, string> = intent === 'submit' ? { intent, notice: 'read' } : { intent };
  surveyItemIds(page.text).forEach((id, index) => {
    fields[`r.${id}`] = String(rate(id, index));
  });
  for (const [question, text] of Object.entries(comments)) fields[`c.${question}`] = text;
  return browser.post(path, fields);
}
