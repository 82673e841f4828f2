import type { Coach } from '../auth/coach';
import { addDays, type Clock } from '../clock';
import type { Db } from '../db/schema';
import { findEngagementByClientEmail } from '../engagements/engagements.service';
import type { MailContext } from '../mail/outbox.service';
import { questionnaireVersionOf } from '../norms/questionnaire-version';
import { createNorm, NormRefusedError, type StoredNorm } from '../norms/norms.service';
import { LEADERSHIP_360_ID } from '../questionnaires/leadership-360';
import { createTeam, type Team } from '../teams/teams.service';
import { seededRandom } from '../../reports/random';
import { profileRatings, type AnswerProfile } from './demo-answers';
import { assessLeader } from './demo-leaders';

/**
 * The demo's practice: the leadership team of one organisation (four leaders whose baselines are
 * closed and published, one of them released) seen in a team report, and five past clients, archived,
 * so that with Alex Morgan ten leaders make a practice norm. Fictional people, synthetic answers.
 */
export const DEMO_ORGANISATION = 'Northwind Traders';

interface DemoLeader {
  name: string;
  role: string;
  organisation: string;
  profile: AnswerProfile;
  release?: boolean;
  archived?: boolean;
}

/** Competency centres c1..c8 (vision, decisions, communication, developing others, collaboration, results, self-awareness, change). */
const centres = (values: number[]) => Object.fromEntries(values.map((value, index) => [`c${index + 1}`, value]));

// A team that drives results and rates its own communication far higher than others do.
const TEAM: DemoLeader[] = [
  { name: 'Priya Nair', role: 'Chief Operating Officer', organisation: DEMO_ORGANISATION, release: true, profile: { others: centres([3.9, 4.1, 3.1, 3.0, 3.8, 4.4, 3.5, 3.6]), self: centres([4.0, 4.2, 4.4, 3.4, 3.9, 4.5, 3.8, 3.9]) } },
  { name: 'Marcus Webb', role: 'Chief Financial Officer', organisation: DEMO_ORGANISATION, profile: { others: centres([3.6, 4.3, 2.9, 2.8, 3.5, 4.2, 3.7, 3.2]), self: centres([3.8, 4.4, 4.2, 3.6, 3.7, 4.3, 3.9, 3.5]) } },
  { name: 'Sofia Lindqvist', role: 'Chief People Officer', organisation: DEMO_ORGANISATION, profile: { others: centres([3.7, 3.6, 3.6, 4.3, 4.2, 3.7, 4.0, 3.9]), self: centres([3.6, 3.5, 4.5, 3.8, 4.0, 3.6, 3.9, 3.8]) } },
  { name: 'Daniel Osei', role: 'Chief Technology Officer', organisation: DEMO_ORGANISATION, profile: { others: centres([4.2, 3.8, 3.0, 3.3, 3.4, 4.3, 3.3, 4.1]), self: centres([4.3, 3.9, 4.1, 3.5, 3.6, 4.2, 3.4, 4.2]) } },
];

const PAST_CLIENTS: DemoLeader[] = [
  { name: 'Hannah Becker', role: 'Managing Director', organisation: 'Tailspin Toys', archived: true, profile: { others: centres([4.3, 4.0, 3.9, 3.6, 4.1, 4.0, 3.8, 4.2]), self: centres([4.0, 3.8, 3.7, 3.5, 3.9, 4.1, 3.6, 4.0]) } },
  { name: 'Tomás Ruiz', role: 'Head of Sales', organisation: 'Adventure Works', archived: true, profile: { others: centres([3.5, 3.4, 3.7, 3.2, 4.0, 4.5, 3.1, 3.4]), self: centres([4.1, 4.0, 4.2, 3.8, 4.1, 4.6, 3.9, 3.9]) } },
  { name: 'Grace Liu', role: 'Director of Research', organisation: 'Contoso Pharmaceuticals', archived: true, profile: { others: centres([4.0, 3.7, 3.4, 4.1, 3.6, 3.5, 4.2, 3.7]), self: centres([3.6, 3.4, 3.3, 3.7, 3.4, 3.3, 3.8, 3.5]) } },
  { name: 'Omar Haddad', role: 'Plant Manager', organisation: 'Fourth Coffee', archived: true, profile: { others: centres([3.3, 3.9, 3.3, 3.5, 3.3, 4.1, 3.6, 3.0]), self: centres([3.5, 4.1, 3.6, 3.7, 3.6, 4.2, 3.9, 3.3]) } },
  { name: 'Elena Petrova', role: 'Finance Director', organisation: 'Litware', archived: true, profile: { others: centres([3.8, 4.4, 4.0, 3.9, 3.9, 3.9, 4.3, 3.5]), self: centres([3.7, 4.2, 3.9, 3.6, 3.8, 3.9, 4.0, 3.4]) } },
];

/** Raters per group of every demo leader besides Alex: a manager, three peers, four direct reports. */
const RATERS = { manager: 1, peers: 3, reports: 4 };

const emailOf = (name: string) => `${name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`;

export interface DemoPractice {
  team: Team;
  /** Null when the configured minimum of leaders is more than the demo has. */
  norm: StoredNorm | null;
  /** Why there is no norm, when there is none. */
  normRefusal: string | null;
}

/** True when the demo's practice exists already (its first team leader's engagement). */
export async function demoPracticeExists(db: Db, coachId: string): Promise<boolean> {
  return (await findEngagementByClientEmail(db, coachId, emailOf(TEAM[0]!.name))) !== undefined;
}

/**
 * The past clients (assessed over the past year, archived), then the team (assessed two to three
 * months ago), all through the app's services on the demo's clock; then, today, the team and a
 * practice norm (none when the configured minimum of leaders is more than the demo's ten).
 */
export async function createDemoPractice(db: Db, mail: MailContext & { clock: Clock & { advanceHours(hours: number): void } }, coach: Coach, options: { minimumLeaders: number; today: Date }): Promise<DemoPractice> {
  const random = seededRandom('threesixty-demo-practice');
  const clock = mail.clock;
  let version = '';
  const assess = async (leader: DemoLeader, daysApart: number) => {
    const { round } = await assessLeader(
      db,
      mail,
      coach.id,
      {
        clientName: leader.name,
        clientEmail: emailOf(leader.name),
        organisation: leader.organisation,
        role: leader.role,
        questionnaireId: LEADERSHIP_360_ID,
        raters: RATERS,
        answersFor: (group, index) => ({ ratings: profileRatings(leader.profile, group, index, random), comments: {} }),
        release: leader.release,
        archived: leader.archived,
      },
      () => clock.advanceHours(9),
    );
    version = questionnaireVersionOf(round.snapshot!);
    clock.advanceHours(24 * daysApart);
  };
  for (const leader of PAST_CLIENTS) await assess(leader, 60);
  for (const leader of TEAM) await assess(leader, 4);
  // The team and the norm are made today, when Alex Morgan's baseline is closed too.
  clock.advanceHours((options.today.getTime() - clock.now().getTime()) / 3_600_000);
  const team = await createTeam(db, clock, coach.id, { name: `${DEMO_ORGANISATION} leadership team`, questionnaireVersion: version, organisation: DEMO_ORGANISATION });
  try {
    return { team, norm: await createNorm(db, clock, coach.id, version, { minimumLeaders: options.minimumLeaders }), normRefusal: null };
  } catch (error) {
    if (error instanceof NormRefusedError) return { team, norm: null, normRefusal: error.message };
    throw error;
  }
}

/** Where the practice's clock starts: a year and a bit before `today`, so every round is in the past. */
export function practiceStart(today: Date): Date {
  return addDays(today, -420);
}
