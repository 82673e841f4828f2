import { createApiToken } from '../../server/api/api-tokens.service';
import { createCoachAccount } from '../../server/auth/auth.service';
import { dayOf } from '../../server/clock';
import type { Config } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/connect';
import { createEngagement } from '../../server/engagements/engagements.service';
import { deleteUnsentRoundMessages } from '../../server/mail/outbox.repository';
import { ensureBuiltinQuestionnaires } from '../../server/questionnaires/questionnaires.service';
import { mixNewResponses } from '../../server/survey/survey.service';
import { answerAndClose, COACH_PASSWORD, DOMAINS, launchedRoundTokens, seedClock, seedMailContext, type SeedContext } from './seed';
import { elapsedMs } from './timing';

export interface ScalePlan {
  engagements: number;
  /** Closed rounds, spread evenly over the engagements (at most one each). */
  closedRounds: number;
  /** Responses per closed round: the client and `respondentsPerRound - 1` raters, every one answered. */
  respondentsPerRound: number;
}

export const SCALE_PLAN: ScalePlan = { engagements: 10_000, closedRounds: 2_000, respondentsPerRound: 50 };

export interface ScaleSeed {
  coach: { id: string; email: string; password: string };
  /** A personal API token of the coach. */
  apiToken: string;
  /** The most recently created engagement with a closed round, and that round (its report is published). */
  engagementId: string;
  reportRoundId: string;
  /** Found in one engagement's organisation only: a search that has to look at every row. */
  rareSearch: string;
  seconds: number;
}

const ORGANISATIONS = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin Toys', 'Wide World Importers', 'Adventure Works', 'Litware', 'Proseware'];
const FIRST_NAMES = ['Alex', 'Émilie', 'Jordan', 'Priya', 'Lars', 'Zoë', 'Kenji', 'Amara', 'Mateo', 'Ingrid', 'Sam', 'Noor'];
const RARE_ORGANISATION = 'Quillon Zebra Holdings';

/**
 * A coaching practice at a hundred times the size of the small seed, created through the same
 * services a coach's clicks and raters' answers go through (never hand-written SQL): `engagements`
 * engagements of one coach, every (engagements / closedRounds)-th with a baseline round of the
 * built-in questionnaire launched, answered by every one of its raters and closed (which publishes
 * its report). New responses are mixed as the server's job would (so the server starts with
 * nothing left to do), and the invitations' unsent emails are dropped once their links are read
 * (their recipients are fictional, and 100,000 email bodies would only swell the file), except
 * those of the last round, whose emails the API lists.
 */
export async function seedScale(handle: DatabaseHandle, config: Config, plan: ScalePlan, progress: (message: string) => void): Promise<ScaleSeed> {
  const started = performance.now();
  const clock = seedClock();
  const db = handle.db;
  await ensureBuiltinQuestionnaires(db, clock);
  const email = 'scale.coach@bench.test';
  const coach = await createCoachAccount(db, clock, { email, name: 'Scale Coach', password: COACH_PASSWORD, isAdmin: false });
  const context: SeedContext = { handle, clock, mail: seedMailContext(handle, config, clock), coachId: coach.id };
  const { token: apiToken } = await createApiToken(db, clock, coach.id, 'bench');
  const every = Math.max(1, Math.floor(plan.engagements / plan.closedRounds));
  let latest: { engagementId: string; roundId: string } | undefined;
  for (let index = 0; index < plan.engagements; index += 1) {
    const engagement = await createEngagement(db, clock, coach.id, {
      clientName: `${FIRST_NAMES[index % FIRST_NAMES.length]} Client-${index}`,
      clientEmail: `client-${index}@${DOMAINS.scale}`,
      organisation: index === Math.floor(plan.engagements / 2) ? RARE_ORGANISATION : ORGANISATIONS[index % ORGANISATIONS.length]!,
      role: 'Chief Operating Officer',
      startDate: dayOf(clock.now()),
      notes: '',
      stage: 'assessment',
    });
    if (index % every === 0 && index / every < plan.closedRounds) {
      const { roundId, tokens } = await launchedRoundTokens(context, engagement, plan.respondentsPerRound, DOMAINS.scale, `x${index}`);
      const last = index / every === plan.closedRounds - 1;
      if (!last) await deleteUnsentRoundMessages(db, roundId);
      await answerAndClose(context, roundId, tokens);
      latest = { engagementId: engagement.id, roundId };
    }
    if ((index + 1) % 500 === 0) {
      while ((await mixNewResponses(db, 1000)) > 0);
      progress(`scale seed: ${index + 1} of ${plan.engagements} engagements (${Math.min(plan.closedRounds, Math.floor(index / every) + 1)} closed rounds) in ${(elapsedMs(started) / 1000).toFixed(0)} s`);
    }
  }
  while ((await mixNewResponses(db, 1000)) > 0);
  if (!latest) throw new Error('The scale plan has no closed round');
  return {
    coach: { id: coach.id, email, password: COACH_PASSWORD },
    apiToken,
    engagementId: latest.engagementId,
    reportRoundId: latest.roundId,
    rareSearch: 'zebra',
    seconds: elapsedMs(started) / 1000,
  };
}
