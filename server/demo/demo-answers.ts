import { LEADERSHIP_360 } from '../questionnaires/leadership-360';
import type { Answers } from '../survey/survey.repository';

/**
 * Synthetic but realistic answers for the demo round: a fixed story (a strong operator who
 * over-rates their communication and under-rates how well they develop people), generated with a
 * seeded generator so every installation shows the same report.
 */

export type DemoPhase = 'baseline' | 'evaluation';

/** How others see the client per competency, on the 5-point scale: after coaching, communication and self-awareness have moved. */
const OTHERS_VIEW: Record<DemoPhase, Record<string, number>> = {
  baseline: { c1: 3.7, c2: 3.9, c3: 2.9, c4: 4.4, c5: 4.0, c6: 4.3, c7: 3.3, c8: 3.6 },
  evaluation: { c1: 3.8, c2: 3.9, c3: 3.8, c4: 4.4, c5: 4.1, c6: 4.2, c7: 3.9, c8: 3.7 },
};
/** How the client sees themself: a blind spot on communication, a hidden strength on developing others; more realistic later. */
const SELF_VIEW: Record<DemoPhase, Record<string, number>> = {
  baseline: { c1: 4.0, c2: 4.0, c3: 4.6, c4: 3.0, c5: 4.2, c6: 4.4, c7: 3.6, c8: 3.8 },
  evaluation: { c1: 4.0, c2: 4.0, c3: 3.8, c4: 3.8, c5: 4.2, c6: 4.2, c7: 3.8, c8: 3.8 },
};
const GROUP_LEAN: Record<string, number> = { manager: 0.2, peers: -0.15, reports: 0.2, others: 0 };
/** Raters split on this item: half see it often, half rarely (a "raters disagree" flag). */
const SPLIT_ITEM = 'c6i4';

const clamp = (value: number) => Math.min(5, Math.max(1, Math.round(value)));

/** How others (by competency, on the 5-point scale) and the client see the client, with an item raters split on. */
export interface AnswerProfile {
  others: Record<string, number>;
  self: Record<string, number>;
  /** Raters split on this item: half see it often, half rarely (a "raters disagree" flag). */
  splitItem?: string;
}

/**
 * One rater's ratings of Leadership 360 for a profile: around the competency's centre (with a lean
 * per rater group and per item), some "not able to rate" from raters outside the team.
 */
export function profileRatings(profile: AnswerProfile, groupKey: string, raterIndex: number, random: () => number): Answers['ratings'] {
  const ratings: Answers['ratings'] = {};
  for (const competency of LEADERSHIP_360.competencies) {
    competency.items.forEach((item, index) => {
      const itemLean = [0.2, -0.1, 0, 0.15, -0.25][index] ?? 0;
      if (groupKey !== 'self' && random() < (groupKey === 'others' ? 0.15 : 0.04)) {
        ratings[item.id] = null; // not able to rate
        return;
      }
      if (item.id === profile.splitItem && groupKey !== 'self') {
        ratings[item.id] = raterIndex % 2 === 0 ? 2 : 5;
        return;
      }
      const centre = groupKey === 'self' ? profile.self[competency.id]! : profile.others[competency.id]! + (GROUP_LEAN[groupKey] ?? 0);
      const noise = groupKey === 'self' ? (random() - 0.5) * 0.8 : (random() + random() - 1) * 1.4;
      ratings[item.id] = clamp(centre + itemLean + noise);
    });
  }
  return ratings;
}

export function demoAnswers(groupKey: string, raterIndex: number, random: () => number, phase: DemoPhase = 'baseline'): Answers {
  const ratings = profileRatings({ others: OTHERS_VIEW[phase], self: SELF_VIEW[phase], splitItem: SPLIT_ITEM }, groupKey, raterIndex, random);
  const comments = phase === 'baseline' ? DEMO_COMMENTS : FOLLOW_UP_COMMENTS;
  return { ratings, comments: comments[`${groupKey}-${raterIndex}`] ?? {} };
}

/**
 * Pulse answers on the survey's 7-point scale (4 = no change): most raters see some progress on
 * the focus areas, a few see none.
 */
export function demoPulseAnswers(focusIds: string[], groupKey: string, random: () => number, progress = 0): Answers {
  const ratings: Answers['ratings'] = {};
  for (const id of focusIds) {
    const change = groupKey === 'self' ? 2 : Math.round(0.4 + progress + random() * 2.2 - (random() < 0.2 ? 1.5 : 0));
    ratings[id] = Math.min(7, Math.max(1, 4 + change));
  }
  const comments: Answers['comments'] = {};
  const note = PULSE_NOTES[Math.floor(random() * PULSE_NOTES.length)];
  if (focusIds[0] && note && random() < 0.6) comments[focusIds[0]] = note;
  return { ratings, comments };
}

const PULSE_NOTES = [
  'Team meetings feel different: Alex asks for views before giving their own.',
  'More patient in discussions, though it slips when deadlines are tight.',
  'I have noticed Alex summarising what people said before answering.',
  'Hard to tell yet; we have had few meetings together.',
];

const FOLLOW_UP_COMMENTS: Record<string, Record<string, string>> = {
  'self-0': { q1: 'Asking the team first and deciding second.', q2: 'Keep making time for one-to-ones in busy periods.' },
  'manager-0': { q1: 'The team now brings problems early; that is the best sign of Alex listening.', q2: 'Take this further with the other department heads.' },
  'peers-0': { q1: 'Much better at hearing other departments out.' },
  'reports-0': { q1: 'Explains the reasons behind changes now.', q3: 'Still rewriting documents now and then.' },
  'reports-1': { q2: 'Keep the monthly open session; it works.' },
};

const DEMO_COMMENTS: Record<string, Record<string, string>> = {
  'self-0': {
    q1: 'I keep the team focused on delivery and I make decisions quickly.',
    q2: 'Spend more time on strategy and less in the detail of operations.',
    q3: 'Taking on too much myself instead of handing work over.',
  },
  'manager-0': {
    q1: 'Alex delivers. The operations turnaround last year would not have happened without them.',
    q2: 'Bring the team along earlier: people hear about decisions after they are made.',
    q3: 'Stop answering for the team in leadership meetings; let them present their own work.',
  },
  'peers-0': { q1: 'Reliable and fair in cross-team negotiations.', q2: 'Listen to the end of an argument before replying.' },
  'peers-1': { q2: 'Share the plan earlier with the other departments; we often find out late.', q3: 'Interrupting in meetings.' },
  'peers-2': { q1: 'Very good at untangling messy processes.' },
  'reports-0': {
    q1: 'Gives me real responsibility and backs me when things go wrong.',
    q2: 'Explain the why behind changes, not just the what.',
  },
  'reports-1': { q1: 'The best manager I have had for my development: regular, specific feedback.', q3: 'Emails late at night set an expectation, even if unintended.' },
  'reports-2': { q2: 'More time for one-to-ones during busy periods.', q3: 'Rewriting our documents instead of telling us what to change.' },
  'reports-3': { q1: 'Calm in a crisis.' },
  'others-0': { q1: 'Always prepared, always on time.', q2: 'Be more visible outside operations.' },
};

export const DEMO_RATERS: Record<string, number> = { manager: 1, peers: 4, reports: 5, others: 2 };

export const DEMO_NAMES = [
  'Sam Patel',
  'Maria Garcia',
  'Tom Becker',
  'Aisha Khan',
  'Lena Novak',
  'Chris Okafor',
  'Priya Raman',
  'Jonas Berg',
  'Emma Dubois',
  'Luis Moreno',
  'Hana Sato',
  'Owen Price',
];
