import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import { inviteCoach } from '../../server/coaches/coaches.service';
import { createEngagement } from '../../server/engagements/engagements.service';
import { addActionStep, addFocusArea } from '../../server/focus-areas/focus-areas.service';
import { mailContext } from '../../server/http/mail-context';
import { createPulse } from '../../server/pulses/pulses.service';
import { copyQuestionnaire } from '../../server/questionnaires/questionnaires.service';
import { releaseReport } from '../../server/reports/reports.service';
import { requestNomination, submitNominations } from '../../server/rounds/nominations.service';
import { closeRound, rerunForEvaluation } from '../../server/rounds/rounds.service';
import { findSurvey, submitSurvey } from '../../server/survey/survey.service';
import { createRoundWithRaters, launch } from './rounds';
import type { TestContext } from './test-app';

/** One coach's objects of every kind, and the secret links that were emailed about them. */
export interface Everything {
  /** Route parameter values, by parameter name (`:id` by the path's first segment). */
  ids: Record<string, string>;
  rounds: { draft: string; released: string; evaluation: string; pulse: string };
  links: {
    /** An open survey nobody has answered yet (evaluation round). */
    survey: string;
    /** Every rater's link of the evaluation round (the first is `survey`). */
    surveys: string[];
    /** A survey already answered (the released round, now closed). */
    answeredSurvey: string;
    pulseSurvey: string;
    nomination: string;
    clientReport: string;
    join: string;
  };
  /** Every link emailed while seeding (full URLs). */
  emailedLinks: string[];
}

/** Links in the outbox that have not been sent yet (sending erases them when SMTP is used). */
async function pendingLinks(context: TestContext): Promise<Array<{ url: string; kind: string; roundId: string | null; isClient: boolean }>> {
  const rows = await context.db
    .selectFrom('outbox')
    .leftJoin('invitations', 'invitations.id', 'outbox.invitation_id')
    .select(['outbox.action_url', 'outbox.kind', 'outbox.round_id', 'invitations.is_client'])
    .where('outbox.status', '=', 'pending')
    .where('outbox.action_url', 'is not', null)
    .execute();
  return rows.map((row) => ({ url: row.action_url!, kind: row.kind, roundId: row.round_id, isClient: Number(row.is_client) === 1 }));
}

const path = (url: string) => new URL(url).pathname;

/** An engagement whose every text must never reach anyone but its coach. */
export const CONFIDENTIAL_ENGAGEMENT = {
  clientName: 'Secret Client',
  clientEmail: 'secret.client@example.com',
  organisation: 'Hidden Org',
  role: 'CEO',
  startDate: '2026-02-01',
  notes: 'confidential notes',
  stage: 'assessment',
} as const;

/**
 * Seeds, through the services, an engagement with a questionnaire copy, a coach invitation, a
 * draft round with a client nomination, a baseline answered, closed and released, a development
 * plan, a launched evaluation re-run and a launched pulse. `deliver` sends the outbox (with
 * whatever mailer the context uses) after each step's links were read.
 */
export async function seedEverything(context: TestContext, owner: Coach, deliver: () => Promise<unknown>): Promise<Everything> {
  const mail = mailContext(context.deps);
  const emailedLinks: string[] = [];
  const collect = async () => {
    const links = await pendingLinks(context);
    emailedLinks.push(...links.map((link) => link.url));
    await deliver();
    return links;
  };
  const deadlineDay = dayOf(addDays(context.clock.now(), 14));
  const engagement = await createEngagement(context.db, context.clock, owner.id, CONFIDENTIAL_ENGAGEMENT);
  const questionnaire = await copyQuestionnaire(context.db, context.clock, owner.id, 'leadership-360');
  const invitation = await inviteCoach(context.db, mail, owner, 'new.coach@example.com');
  const join = (await collect()).find((link) => link.kind === 'coach-invitation')!;

  const { round: draft } = await createRoundWithRaters(context, owner, { peers: 3 }, { engagement, deadlineDay });
  await requestNomination(context.db, mail, owner.id, draft.id);
  const nomination = (await collect()).find((link) => link.kind === 'nomination-request')!;
  await submitNominations(context.db, context.clock, path(nomination.url).split('/')[2]!, 'suggested.rater@example.com,Suggested Rater,peers');
  const nominationRow = await context.db.selectFrom('nominations').select('id').where('round_id', '=', draft.id).executeTakeFirstOrThrow();
  const draftRater = await context.db.selectFrom('invitations').select('id').where('round_id', '=', draft.id).where('is_client', '=', 0).executeTakeFirstOrThrow();

  const { round: released } = await createRoundWithRaters(context, owner, { manager: 1, peers: 3 }, { engagement, deadlineDay });
  await launch(context, owner, released.id);
  const releasedLinks = (await collect()).filter((link) => link.roundId === released.id);
  for (const link of releasedLinks) {
    const survey = await findSurvey(context.db, context.clock, path(link.url).split('/')[2]!);
    const items = survey.questionnaire.competencies.flatMap((competency) => competency.items);
    const ratings = Object.fromEntries(items.map((item, index) => [item.id, (index % 5) + 1]));
    await submitSurvey(context.db, mail, survey, { ratings, comments: { q1: 'A comment from a rater.' } }, 0);
  }
  await closeRound(context.db, context.clock, owner.id, released.id);
  const release = await releaseReport(context.db, mail, owner.id, released.id, { note: 'A debrief note.', linkDays: 90 });
  const clientReport = (await collect()).find((link) => link.kind === 'report-release')!;

  const focus = await addFocusArea(context.db, owner.id, engagement.id, { ref: 'competency:c1', goal: 'A goal for the year.' });
  await addActionStep(context.db, owner.id, engagement.id, focus.id, { description: 'An action step.', dueOn: null, status: 'planned' });
  const action = await context.db.selectFrom('action_steps').select('id').where('focus_area_id', '=', focus.id).executeTakeFirstOrThrow();

  const evaluation = await rerunForEvaluation(context.db, context.clock, owner.id, released.id, context.deps.views.translator);
  await launch(context, owner, evaluation.id);
  const evaluationLinks = (await collect()).filter((link) => link.roundId === evaluation.id && !link.isClient);

  const pulse = await createPulse(context.db, context.clock, owner.id, engagement.id, { sinceDay: dayOf(context.clock.now()), deadlineDay, message: 'A pulse message.' });
  await launch(context, owner, pulse.id);
  const pulseLinks = (await collect()).filter((link) => link.roundId === pulse.id);

  return {
    ids: {
      engagements: engagement.id,
      questionnaires: questionnaire.id,
      coaches: invitation.id,
      rounds: evaluation.id,
      invitationId: draftRater.id,
      nominationId: nominationRow.id,
      releaseId: release.id,
      focusId: focus.id,
      actionId: action.id,
    },
    rounds: { draft: draft.id, released: released.id, evaluation: evaluation.id, pulse: pulse.id },
    links: {
      survey: path(evaluationLinks[0]!.url),
      surveys: evaluationLinks.map((link) => path(link.url)),
      answeredSurvey: path(releasedLinks.find((link) => !link.isClient)!.url),
      pulseSurvey: path(pulseLinks[0]!.url),
      nomination: path(nomination.url),
      clientReport: path(clientReport.url),
      join: path(join.url),
    },
    emailedLinks,
  };
}

/**
 * A route's path with its parameters filled from `ids` (`:id` by the path's first segment, other
 * parameters by name). A parameter without a fixture gets a made-up id, so routes added later are
 * still requested (and answer 404) rather than skipped.
 */
export function concretePath(routePath: string, ids: Record<string, string>): string {
  const section = routePath.split('/')[1]!;
  return routePath.replace(/:([A-Za-z]+)/g, (_match, name: string) => (name === 'id' ? ids[section] : ids[name]) ?? `unknown-${name}`);
}
