import { createApp } from '../app';
import { findCoachCredentials, type Coach } from '../auth/auth.repository';
import { createCoachAccount } from '../auth/auth.service';
import { addDays, systemClock, type Clock } from '../clock';
import type { Config } from '../config';
import type { DatabaseHandle } from '../db/connect';
import { createEngagement, listEngagements } from '../engagements/engagements.service';
import { mailContext } from '../http/mail-context';
import { silentLogger } from '../logger';
import { createFileMailer } from '../mail/mailer';
import { deleteUnsentRoundMessages, listRoundMessages } from '../mail/outbox.repository';
import { LEADERSHIP_360_ID } from '../questionnaires/leadership-360';
import { DEFAULT_GROUPS, addRaterList, closeRound, createRound, launchRound } from '../rounds/rounds.service';
import { findSurvey, submitSurvey } from '../survey/survey.service';
import { DEMO_NAMES, DEMO_RATERS, demoAnswers, seededRandom } from './demo-answers';

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
}

/**
 * Creates, once, a demo coach with a client engagement and a closed baseline round answered by
 * twelve fictional raters, all through the same services the app uses. Running it again finds the
 * data and changes nothing.
 */
export async function ensureDemoData(database: DatabaseHandle, config: Config, today: Date = systemClock.now()): Promise<DemoResult> {
  const db = database.db;
  const existing = await findCoachCredentials(db, DEMO_EMAIL);
  const coach = existing?.coach ?? (await createCoachAccount(db, systemClock, { email: DEMO_EMAIL, name: 'Dana Whitfield', password: DEMO_PASSWORD, isAdmin: false }));
  const password = existing ? null : DEMO_PASSWORD;
  const engagements = await listEngagements(db, coach.id, { search: '', stage: null, archived: false });
  if (engagements.some((engagement) => engagement.clientEmail === CLIENT_EMAIL)) return { coach, created: false, password };
  await createBaseline(database, config, coach, addDays(today, -60));
  return { coach, created: true, password };
}

async function createBaseline(database: DatabaseHandle, config: Config, coach: Coach, start: Date): Promise<void> {
  const clock = new DemoClock(start);
  // Emails to the fictional raters are never sent: the demo's outbox entries are dropped below.
  const mailer = createFileMailer(`${config.dataDir}/outbox`, config.mailFrom);
  const { deps } = createApp({ database, config, clock, mailer, logger: silentLogger });
  const mail = mailContext(deps);
  const db = database.db;

  const engagement = await createEngagement(db, clock, coach.id, {
    clientName: 'Alex Morgan',
    clientEmail: CLIENT_EMAIL,
    organisation: 'Fabrikam Logistics',
    role: 'Head of Operations',
    startDate: start.toISOString().slice(0, 10),
    notes: 'Demo engagement. Goal from contracting: step up from running operations to leading the operations leadership team.',
    stage: 'assessment',
  });
  clock.advanceHours(24 * 14);
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

  const random = seededRandom(360);
  const perGroup: Record<string, number> = {};
  // A fixed order, so the seeded answers land on the same raters on every installation.
  const messages = (await listRoundMessages(db, round.id)).sort((a, b) => a.recipient.localeCompare(b.recipient));
  for (const message of messages) {
    if (!message.actionUrl || !message.invitationId) continue;
    clock.advanceHours(11);
    const survey = await findSurvey(db, clock, message.actionUrl.split('/').pop()!);
    const index = perGroup[survey.group.key] ?? 0;
    perGroup[survey.group.key] = index + 1;
    await submitSurvey(db, deps.dbKind, mail, survey, demoAnswers(survey.group.key, index, random));
  }
  await deleteUnsentRoundMessages(db, round.id);
  clock.advanceHours(24 * 8);
  await closeRound(db, clock, coach.id, round.id);
}
