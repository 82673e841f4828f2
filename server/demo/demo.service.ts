import { createApp } from '../app';
import { findCoachCredentials } from '../auth/auth.repository';
import type { Coach } from '../auth/coach';
import { createCoachAccount } from '../auth/auth.service';
import { addDays, systemClock, type Clock } from '../clock';
import type { Config } from '../config';
import type { DatabaseHandle } from '../db/connect';
import { createEngagement, findEngagementByClientEmail } from '../engagements/engagements.service';
import { mailContext } from '../http/mail-context';
import { silentLogger } from '../logger';
import { createFileMailer } from '../mail/mailer';
import { deleteUnsentRoundMessages } from '../mail/outbox.repository';
import { LEADERSHIP_360_ID } from '../questionnaires/leadership-360';
import { addRaterList } from '../rounds/invitations.service';
import { DEFAULT_GROUPS } from '../rounds/round-settings';
import { closeRound, createRound, launchRound, rerunForEvaluation } from '../rounds/rounds.service';
import { moveToStage } from '../engagements/engagements.service';
import { addActionStep, addFocusArea } from '../focus-areas/focus-areas.service';
import { createPulse } from '../pulses/pulses.service';
import { releaseReport } from '../reports/reports.service';
import type { Answers } from '../survey/survey.repository';
import { seededRandom } from '../../reports/random';
import { DEMO_NAMES, DEMO_RATERS, demoAnswers, demoPulseAnswers } from './demo-answers';
import { createDemoPractice, demoPracticeExists, practiceStart, type DemoPractice } from './demo-practice';
import { answerEveryInvitation } from './demo-rounds';
import { ensureDemoBranding } from './demo-branding';
import { makeAdministrator } from './demo.repository';

export const DEMO_EMAIL = 'demo.coach@example.com';
export const DEMO_PASSWORD = 'demo-coach-password';
const CLIENT_EMAIL = 'alex.morgan@example.com';

/** A clock the demo moves by hand, so the round can be launched, answered and closed in the past. */
class DemoClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceHours(hours: number): void {
    this.current = new Date(this.current.getTime() + hours * 3_600_000);
  }
}

export interface DemoResult {
  coach: Coach;
  /** False when the demo data was there already (the call changes nothing then). */
  created: boolean;
  /** The password, when the account was created by this call. */
  password: string | null;
  /** The demo practice (a team and a practice norm) when this call created it. */
  practice: DemoPractice | null;
}

/**
 * Creates, once, a demo coach with a client engagement carried through a whole coaching journey
 * (baseline, plan, pulse, evaluation) with twelve fictional raters, and a practice around it: the
 * four-leader team of one organisation with its team report, and past clients enough for a practice
 * norm. All through the same services the app uses. Running it again finds the data and changes
 * nothing; on a demo made before the practice existed, it adds the practice.
 */
export async function ensureDemoData(database: DatabaseHandle, config: Config, today: Date = systemClock.now()): Promise<DemoResult> {
  const db = database.db;
  const existing = await findCoachCredentials(db, DEMO_EMAIL);
  // An administrator, so the demo shows the Coaches and Practice look pages; older demos become one.
  const account = existing?.coach ?? (await createCoachAccount(db, systemClock, { email: DEMO_EMAIL, name: 'Dana Whitfield', password: DEMO_PASSWORD, isAdmin: true }));
  if (!account.isAdmin) await makeAdministrator(db, account.id);
  const coach = { ...account, isAdmin: true };
  const branded = await ensureDemoBranding(db, systemClock, coach);
  const password = existing ? null : DEMO_PASSWORD;
  const journey = !(await findEngagementByClientEmail(db, coach.id, CLIENT_EMAIL));
  if (journey) await createJourney(demoContext(database, config, addDays(today, -90)), coach);
  const practice = (await demoPracticeExists(db, coach.id)) ? null : await createDemoPractice(db, demoContext(database, config, practiceStart(today)).mail, coach, { minimumLeaders: config.normMinimumLeaders, today });
  return { coach, created: journey || practice !== null || branded, password, practice };
}

/** The app's services on a clock the demo moves by hand, with emails only ever written to files (and dropped). */
function demoContext(database: DatabaseHandle, config: Config, start: Date) {
  const clock = new DemoClock(start);
  const mailer = createFileMailer(`${config.dataDir}/outbox`, config.mailFrom);
  const { deps } = createApp({ database, config, clock, mailer, logger: silentLogger });
  return { database, config, clock, mail: { ...mailContext(deps), clock } };
}

/**
 * Three months of an engagement: a baseline round, its release and debrief, two focus areas with
 * actions, a pulse, and the evaluation re-run (which shows real progress on the focus areas).
 */
async function createJourney({ database, config, clock, mail }: ReturnType<typeof demoContext>, coach: Coach): Promise<void> {
  // Emails to the fictional raters are never sent: the demo's outbox entries are dropped.
  const db = database.db;
  const start = clock.now();
  const answerEveryone = (roundId: string, answersFor: (group: string, index: number) => Answers) => answerEveryInvitation(db, mail, roundId, answersFor, () => clock.advanceHours(9));

  const engagement = await createEngagement(db, clock, coach.id, {
    clientName: 'Alex Morgan',
    clientEmail: CLIENT_EMAIL,
    organisation: 'Fabrikam Logistics',
    role: 'Head of Operations',
    startDate: start.toISOString().slice(0, 10),
    notes: 'Demo engagement. Goal from contracting: step up from running operations to leading the operations leadership team.',
    stage: 'assessment',
  });
  clock.advanceHours(24 * 7);
  const launchDay = clock.now();
  const round = await createRound(db, clock, coach.id, engagement.id, {
    questionnaireId: LEADERSHIP_360_ID,
    purpose: 'baseline',
    deadlineDay: addDays(launchDay, 14).toISOString().slice(0, 10),
    message: 'Alex and I are starting a coaching programme. Your candid view of how Alex leads today is the most useful input we can get.',
    k: 3,
    tau: null,
    groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
  });
  let nameIndex = 0;
  const lines = Object.entries(DEMO_RATERS).flatMap(([group, count]) =>
    Array.from({ length: count }, () => {
      const name = DEMO_NAMES[nameIndex++]!;
      return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com,${name},${group}`;
    }),
  );
  await addRaterList(db, mail, coach.id, round.id, lines.join('\n'));
  await launchRound(db, mail, coach.id, round.id);

  const random = seededRandom('threesixty-demo');
  await answerEveryone(round.id, (group, index) => demoAnswers(group, index, random, 'baseline'));
  clock.advanceHours(24 * 6);
  await closeRound(db, clock, coach.id, round.id);

  // Debrief and release; the plan.
  clock.advanceHours(24);
  await releaseReport(db, mail, coach.id, round.id, {
    note: 'Thank you for a frank debrief. As agreed, we will work on how you listen and explain decisions, and on asking for feedback.',
    linkDays: config.releaseLinkDays,
  });
  await deleteUnsentRoundMessages(db, round.id);
  const listening = await addFocusArea(db, coach.id, engagement.id, { ref: 'competency:c3', goal: 'Team members say they are heard before decisions are made.' });
  const feedback = await addFocusArea(db, coach.id, engagement.id, { ref: 'item:c7i2', goal: 'Ask for feedback after every leadership meeting, and act on one point each month.' });
  for (const [focus, description, days, status] of [
    [listening, 'Summarise what I heard before giving my view in team meetings', 14, 'done'],
    [listening, 'Explain the reasons behind each operational change in the weekly update', 30, 'in-progress'],
    [feedback, 'Three-question feedback round after the monthly leadership meeting', 21, 'in-progress'],
  ] as const) {
    await addActionStep(db, coach.id, engagement.id, focus.id, { description, dueOn: addDays(clock.now(), days).toISOString().slice(0, 10), status });
  }
  clock.advanceHours(24);
  await moveToStage(db, clock, coach.id, engagement.id, 'action-planning');
  clock.advanceHours(48);
  await moveToStage(db, clock, coach.id, engagement.id, 'implementation');

  // Two pulses, three weeks apart.
  const sinceDay = clock.now().toISOString().slice(0, 10);
  for (const progress of [0, 0.4]) {
    clock.advanceHours(24 * 14);
    const pulse = await createPulse(db, clock, coach.id, engagement.id, {
      sinceDay,
      deadlineDay: addDays(clock.now(), 6).toISOString().slice(0, 10),
      message: 'A quick check on the two areas Alex is working on.',
    });
    await launchRound(db, mail, coach.id, pulse.id);
    await answerEveryone(pulse.id, (group) => demoPulseAnswers([listening.id, feedback.id], group, random, progress));
    clock.advanceHours(24 * 3);
    await closeRound(db, clock, coach.id, pulse.id);
  }

  // The evaluation re-run.
  clock.advanceHours(24 * 6);
  const evaluation = await rerunForEvaluation(db, clock, coach.id, round.id, mail.views.translator);
  await launchRound(db, mail, coach.id, evaluation.id);
  await answerEveryone(evaluation.id, (group, index) => demoAnswers(group, index, random, 'evaluation'));
  clock.advanceHours(24 * 2);
  await closeRound(db, clock, coach.id, evaluation.id);
}
