import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeRoundVersion } from '../../reports/index';
import type { Coach } from '../../server/auth/coach';
import { publishedRoundReport, versionedInputForRound } from '../../server/reports/versions.service';
import { closeRound, getRound, reopenRound } from '../../server/rounds/rounds.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

/**
 * publishedRoundReport skips the engine's proposal when no response is held back (the published
 * model has the readiness it would compute); what it answers must be what the engine answers.
 */
describe.each(DATABASE_KINDS)('the proposal for the next version (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
  });
  afterAll(() => context.close());

  async function answer(roundId: string, count: number): Promise<void> {
    const links = await context.db.selectFrom('outbox').innerJoin('invitations', 'invitations.id', 'outbox.invitation_id').select('outbox.action_url').where('outbox.round_id', '=', roundId).where('invitations.status', 'in', ['invited', 'opened']).limit(count).execute();
    for (const link of links) await answerSurvey(context.browser(), new URL(link.action_url!).pathname);
  }

  async function expectTheEngines(roundId: string): Promise<void> {
    const round = await getRound(context.db, coach.id, roundId);
    const publication = await publishedRoundReport(context.db, round);
    expect(publication.proposal).toEqual(proposeRoundVersion(await versionedInputForRound(context.db, round), publication.latest));
  }

  it('is the engine’s, with nothing held back and with late answers held back', async () => {
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 4 });
    await launch(context, coach, round.id);
    await answer(round.id, 4);
    await expectTheEngines(round.id);
    await closeRound(context.db, context.clock, coach.id, round.id);
    await expectTheEngines(round.id);
    await reopenRound(context.db, context.clock, coach.id, round.id, '2026-03-20');
    await answer(round.id, 1);
    await expectTheEngines(round.id);
  });
});
