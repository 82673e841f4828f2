import path from 'node:path';
import { seededRandom } from '../../reports/random';
import { createApp } from '../../server/app';
import { createCoachAccount } from '../../server/auth/auth.service';
import { addDays, dayOf, type Clock } from '../../server/clock';
import type { Config } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/connect';
import { createEngagement } from '../../server/engagements/engagements.service';
import type { Engagement } from '../../server/engagements/engagements.types';
import { mailContext } from '../../server/http/mail-context';
import { silentLogger } from '../../server/logger';
import { createFileMailer } from '../../server/mail/mailer';
import { listRoundMessages, type StoredMessage } from '../../server/mail/outbox.repository';
import type { MailContext } from '../../server/mail/outbox.service';
import { LEADERSHIP_360, LEADERSHIP_360_ID } from '../../server/questionnaires/leadership-360';
import { ensureBuiltinQuestionnaires } from '../../server/questionnaires/questionnaires.service';
import { MAX_RATER_LINES } from '../../server/rounds/rater-list';
import { addRaterList } from '../../server/rounds/invitations.service';
import { DEFAULT_GROUPS } from '../../server/rounds/round-settings';
import { closeRound, createRound, launchRound } from '../../server/rounds/rounds.service';
import type { Answers } from '../../server/survey/survey.repository';
import { LaunchedRounds } from '../../server/survey/launched-rounds';
import { findSurvey, submitSurvey } from '../../server/survey/survey.service';

export const COACH_PASSWORD = 'bench coach password, long enough';

/** Envelope domains: the SMTP sink counts per domain, so each phase's mail can be told apart without parsing. */
export const DOMAINS = {
  submit: 'submit.bench.test',
  get: 'get.bench.test',
  report: 'report.bench.test',
  launch: 'launch.bench.test',
  scale: 'scale.bench.test',
  raw: 'raw.bench.test',
} as const;

export const ITEM_IDS = LEADERSHIP_360.competencies.flatMap((competency) => competency.items.map((item) => item.id));
export const OPEN_QUESTION_IDS = LEADERSHIP_360.openQuestions.map((question) => question.id);

export interface SeedPlan {
  /** Rounds whose links are each submitted once under load; 500 invitations each. */
  submitRounds: number;
  invitationsPerRound: number;
  /** Raters in the closed round whose report page is timed (the client included). */
  reportRaters: number;
  /** Invitations of the round launched through the running server (the client included). */
  launchInvitations: number;
}

export interface Seed {
  coach: { id: string; email: string; password: string };
  /** Unanswered links for the GET load. */
  getTokens: string[];
  /** Unanswered links, one per submission, alternating between rounds as real traffic would. */
  submitTokens: string[];
  reportRoundId: string;
  /** A draft round, launched later through the server's own route. */
  launchRoundId: string;
  /** A real invitation as the outbox stored it: the model for the bare-nodemailer floor. */
  sampleMessage: StoredMessage;
}

/**
 * The clock the seeding runs on: a day ahead. Everything the seed queues (about 25,000 invitations)
 * is then due tomorrow, so the server's outbox worker leaves it alone during the run: the links stay
 * readable in `action_url`, and the worker sends only what the load itself causes (thank-you
 * messages, the launch of the 1,000-invitation round).
 */
export function seedClock(leadDays = 1): Clock {
  return { now: () => addDays(new Date(), leadDays) };
}

/** The mail context the server would use (views, sender, public URL), on the seed clock. */
export function seedMailContext(handle: DatabaseHandle, config: Config, clock: Clock): MailContext {
  const mailer = createFileMailer(path.join(config.dataDir, 'bench-unused-outbox'), config.mailFrom);
  const { deps } = createApp({ database: handle, config, clock, mailer, logger: silentLogger });
  return mailContext(deps);
}

/** "email,name,group" lines: one manager, the rest spread over peers, direct reports and others. */
export function raterLines(count: number, domain: string, tag: string): string[] {
  const anonymous = ['peers', 'reports', 'others'];
  return Array.from({ length: count }, (_, index) => {
    const group = index === 0 ? 'manager' : anonymous[index % anonymous.length]!;
    return `${group}-${index}-${tag}@${domain},${group} rater ${index},${group}`;
  });
}

function chunks<T>(values: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, index) => values.slice(index * size, (index + 1) * size));
}

export interface SeedContext {
  handle: DatabaseHandle;
  clock: Clock;
  mail: MailContext;
  coachId: string;
}

export async function engagementFor(context: SeedContext, name: string, domain: string): Promise<Engagement> {
  return createEngagement(context.handle.db, context.clock, context.coachId, {
    clientName: name,
    clientEmail: `client@${domain}`,
    organisation: 'Bench Ltd',
    role: 'Chief Operating Officer',
    startDate: dayOf(context.clock.now()),
    notes: '',
    stage: 'assessment',
  });
}

/** A draft round of Leadership 360 with `invitations` people in it: the client and `invitations - 1` raters. */
async function draftRound(context: SeedContext, engagement: Engagement, invitations: number, domain: string, tag: string): Promise<string> {
  const round = await createRound(context.handle.db, context.clock, context.coachId, engagement.id, {
    questionnaireId: LEADERSHIP_360_ID,
    purpose: 'baseline',
    deadlineDay: dayOf(addDays(context.clock.now(), 30)),
    message: `Thank you for helping ${engagement.clientName} grow.`,
    k: 3,
    tau: null,
    groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
  });
  for (const lines of chunks(raterLines(invitations - 1, domain, tag), MAX_RATER_LINES)) {
    const result = await addRaterList(context.handle.db, context.mail, context.coachId, round.id, lines.join('\n'));
    if (result.errors.length) throw new Error(`Seeding raters failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  }
  return round.id;
}

/** The raw links of a launched round, read from the outbox before anything sends (and erases) them. */
async function invitationTokens(handle: DatabaseHandle, roundId: string): Promise<string[]> {
  const messages = await listRoundMessages(handle.db, roundId);
  return messages
    .filter((message) => message.kind === 'survey-invitation' && message.actionUrl)
    .map((message) => new URL(message.actionUrl!).pathname.replace(/^\/s\//, ''));
}

export async function launchedRoundTokens(context: SeedContext, engagement: Engagement, invitations: number, domain: string, tag: string): Promise<{ roundId: string; tokens: string[] }> {
  const roundId = await draftRound(context, engagement, invitations, domain, tag);
  await launchRound(context.handle.db, context.mail, context.coachId, roundId);
  return { roundId, tokens: await invitationTokens(context.handle, roundId) };
}

/** Takes one link from each round in turn, so concurrent submissions land in different rounds. */
export function interleave(lists: string[][]): string[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const result: string[] = [];
  for (let index = 0; index < longest; index += 1) for (const list of lists) if (index < list.length) result.push(list[index]!);
  return result;
}

/** Plausible answers: ratings leaning positive, one N/A in twenty, comments on some questions. */
export function randomAnswers(random: () => number): Answers {
  const ratings: Answers['ratings'] = {};
  for (const id of ITEM_IDS) ratings[id] = random() < 0.05 ? null : 1 + Math.min(4, Math.floor(random() * 3.2 + random() * 2));
  const comments: Answers['comments'] = {};
  OPEN_QUESTION_IDS.forEach((id, index) => {
    if (random() < 0.7 - index * 0.2) comments[id] = 'Keeps the team focused on what matters and explains the reasons behind priorities; could delegate more.';
  });
  return { ratings, comments };
}

/** Answers every link of the round through the survey service, as raters would, then closes it. */
export async function answerAndClose(context: SeedContext, roundId: string, tokens: string[]): Promise<void> {
  const random = seededRandom('bench answers');
  const launchedRounds = new LaunchedRounds();
  for (const token of tokens) {
    const survey = await findSurvey(context.handle.db, context.clock, token, launchedRounds);
    await submitSurvey(context.handle.db, context.mail, survey, randomAnswers(random), 0);
  }
  await closeRound(context.handle.db, context.clock, context.coachId, roundId);
}

async function sampleInvitation(handle: DatabaseHandle, roundId: string): Promise<StoredMessage> {
  const messages = await listRoundMessages(handle.db, roundId);
  const sample = messages.find((message) => message.kind === 'survey-invitation' && message.message && !message.recipient.startsWith('client@'));
  if (!sample?.message) throw new Error('No seeded invitation to copy');
  return sample.message;
}

/** Everything the load needs, created through the services (never hand-written SQL). */
export async function seedBench(handle: DatabaseHandle, config: Config, plan: SeedPlan): Promise<Seed> {
  const clock = seedClock();
  await ensureBuiltinQuestionnaires(handle.db, clock);
  const email = 'bench.coach@bench.test';
  const coach = await createCoachAccount(handle.db, clock, { email, name: 'Bench Coach', password: COACH_PASSWORD, isAdmin: true });
  const context: SeedContext = { handle, clock, mail: seedMailContext(handle, config, clock), coachId: coach.id };

  const submitEngagement = await engagementFor(context, 'Sam Submit', DOMAINS.submit);
  const submitLists: string[][] = [];
  for (let index = 0; index < plan.submitRounds; index += 1) {
    submitLists.push((await launchedRoundTokens(context, submitEngagement, plan.invitationsPerRound, DOMAINS.submit, `s${index}`)).tokens);
  }

  const get = await launchedRoundTokens(context, await engagementFor(context, 'Gale Get', DOMAINS.get), plan.invitationsPerRound, DOMAINS.get, 'g');
  const report = await launchedRoundTokens(context, await engagementFor(context, 'Remy Report', DOMAINS.report), plan.reportRaters, DOMAINS.report, 'r');
  await answerAndClose(context, report.roundId, report.tokens);
  const launchRoundId = await draftRound(context, await engagementFor(context, 'Lou Launch', DOMAINS.launch), plan.launchInvitations, DOMAINS.launch, 'l');

  return {
    coach: { id: coach.id, email, password: COACH_PASSWORD },
    getTokens: get.tokens,
    submitTokens: interleave(submitLists),
    reportRoundId: report.roundId,
    launchRoundId,
    sampleMessage: await sampleInvitation(handle, get.roundId),
  };
}
