import { buildReport } from '../../reports/index';
import type { RaterGroup, QuestionnaireSnapshot, ReportInput, ResponseInput } from '../../reports/types';
import { seededRandom } from '../../reports/random';
import { median, timeRuns } from './timing';

const COMPETENCIES = 10;
const ITEMS_PER_COMPETENCY = 8;

/** A synthetic 80-item, 10-competency questionnaire on the 5-point scale, with three open questions. */
export function syntheticQuestionnaire(): QuestionnaireSnapshot {
  return {
    name: 'Synthetic 80',
    description: 'Benchmark questionnaire',
    scale: { points: 5, labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'], naLabel: 'Not able to rate' },
    competencies: Array.from({ length: COMPETENCIES }, (_, c) => ({
      id: `k${c + 1}`,
      name: `Competency ${c + 1}`,
      description: `What competency ${c + 1} is about.`,
      items: Array.from({ length: ITEMS_PER_COMPETENCY }, (_, i) => ({ id: `k${c + 1}i${i + 1}`, text: `Behaviour ${i + 1} of competency ${c + 1}.` })),
    })),
    openQuestions: [
      { id: 'q1', text: 'What should this person keep doing?' },
      { id: 'q2', text: 'What should this person start doing?' },
      { id: 'q3', text: 'Anything else?' },
    ],
  };
}

const GROUPS: RaterGroup[] = [
  { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
  { key: 'manager', label: 'Manager', minimum: 1, anonymous: false, self: false },
  { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false },
  { key: 'reports', label: 'Direct reports', minimum: 3, anonymous: true, self: false },
  { key: 'others', label: 'Others', minimum: 3, anonymous: true, self: false },
];

/** How `raters` people split over the groups: the client, one manager (two in large rounds), then 40/35/25 %. */
function groupSizes(raters: number): Record<string, number> {
  const managers = raters >= 200 ? 2 : 1;
  const rest = raters - 1 - managers;
  const peers = Math.round(rest * 0.4);
  const reports = Math.round(rest * 0.35);
  return { self: 1, manager: managers, peers, reports, others: rest - peers - reports };
}

const COMMENTS = [
  'Explains the why behind decisions, which helps the team commit.',
  'Could delegate more and step back from the detail.',
  'Very approachable; I always know where I stand.',
  'Meetings sometimes run long without a clear decision.',
];

/** One rater's answers: each group has its own tendency per item, 6 % N/A, comments on some questions. */
function syntheticResponse(groupKey: string, questionnaire: QuestionnaireSnapshot, bias: number, random: () => number): ResponseInput {
  const ratings: ResponseInput['ratings'] = {};
  for (const competency of questionnaire.competencies) {
    for (const item of competency.items) {
      if (random() < 0.06) ratings[item.id] = null;
      else ratings[item.id] = Math.max(1, Math.min(5, Math.round(3.4 + bias + (random() - 0.5) * 2.6)));
    }
  }
  const comments: ResponseInput['comments'] = {};
  questionnaire.openQuestions.forEach((question, index) => {
    if (random() < 0.6 - index * 0.2) comments[question.id] = COMMENTS[Math.floor(random() * COMMENTS.length)]!;
  });
  return { groupKey, ratings, comments };
}

export function syntheticReportInput(raters: number): ReportInput {
  const questionnaire = syntheticQuestionnaire();
  const random = seededRandom(`engine ${raters}`);
  const sizes = groupSizes(raters);
  const biases: Record<string, number> = { self: 0.6, manager: -0.2, peers: 0, reports: 0.2, others: -0.1 };
  const responses: ResponseInput[] = [];
  for (const group of GROUPS) {
    for (let index = 0; index < sizes[group.key]!; index += 1) responses.push(syntheticResponse(group.key, questionnaire, biases[group.key]!, random));
  }
  // Invited slightly more than answered, as in a real round.
  const invited = Object.fromEntries(Object.entries(sizes).map(([key, count]) => [key, key === 'self' ? 1 : Math.ceil(count * 1.15)]));
  return { seed: `bench-${raters}`, questionnaire, groups: GROUPS, k: 3, invited, responses };
}

/** Median wall time of buildReport for `raters` raters, after warm-up runs (the JIT, not the first call, is what a server sees). */
export async function timeReportEngine(raters: number, runs = 30, warmups = 20): Promise<number> {
  const input = syntheticReportInput(raters);
  return median(await timeRuns(() => buildReport(input), runs, warmups));
}
