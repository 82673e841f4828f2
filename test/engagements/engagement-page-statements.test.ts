import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { addDays, dayOf } from '../../server/clock';
import type { Engagement } from '../../server/engagements/engagements.types';
import { addFocusArea } from '../../server/focus-areas/focus-areas.service';
import { mailContext } from '../../server/http/mail-context';
import { createPulse } from '../../server/pulses/pulses.service';
import { releaseReport } from '../../server/reports/reports.service';
import { closeRound, rerunForEvaluation } from '../../server/rounds/rounds.service';
import { TestClock } from '../helpers/clock';
import { createTestDatabase, DATABASE_KINDS } from '../helpers/databases';
import { TEST_ORIGIN, type TestBrowser } from '../helpers/http-client';
import { answerSurvey, createClientEngagement, createRoundWithRaters, launch } from '../helpers/rounds';
import { assembleTestContext, createCoach, signedInBrowser, type TestContext } from '../helpers/test-app';

/** Counts every statement the database runs (through Kysely, transactions included). */
class StatementCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += 1;
    return args.result;
  }
}

describe.each(DATABASE_KINDS)('the engagement page (%s)', (kind) => {
  const counter = new StatementCounter();
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    context = await assembleTestContext({
      kind,
      database: { ...database, db: database.db.withPlugin(counter) },
      clock: new TestClock(),
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-data-')),
      env: { PUBLIC_URL: TEST_ORIGIN },
    });
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => context.close());

  /** Answers every unanswered survey link of the round through the survey pages, then closes it. */
  async function answerAndClose(roundId: string): Promise<void> {
    const links = await context.db
      .selectFrom('outbox')
      .select('action_url')
      .where('round_id', '=', roundId)
      .where('kind', '=', 'survey-invitation')
      .execute();
    for (const link of links) await answerSurvey(context.browser(), new URL(link.action_url!).pathname);
    await closeRound(context.db, context.clock, coach.id, roundId);
  }

  /** A baseline answered, closed and released, a focus area, three pulses and an evaluation answered and closed, three drafts. */
  async function engagementWithEightRounds(): Promise<Engagement> {
    const { round: baseline, engagement } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3 }, { engagement: await createClientEngagement(context, coach, { clientName: 'Eight Rounds' }) });
    await launch(context, coach, baseline.id);
    await answerAndClose(baseline.id);
    await releaseReport(context.db, mailContext(context.deps), coach.id, baseline.id, { note: '', linkDays: 30 });
    await addFocusArea(context.db, coach.id, engagement.id, { ref: 'competency:c1', goal: 'Delegate more.' });
    for (let pulse = 0; pulse < 3; pulse += 1) {
      const round = await createPulse(context.db, context.clock, coach.id, engagement.id, { sinceDay: dayOf(context.clock.now()), deadlineDay: dayOf(addDays(context.clock.now(), 7)), message: '' });
      await launch(context, coach, round.id);
      await answerAndClose(round.id);
    }
    const evaluation = await rerunForEvaluation(context.db, context.clock, coach.id, baseline.id, context.deps.views.translator);
    await launch(context, coach, evaluation.id);
    await answerAndClose(evaluation.id);
    for (let draft = 0; draft < 3; draft += 1) await createRoundWithRaters(context, coach, { peers: 3 }, { engagement });
    return engagement;
  }

  /** Statements run to answer GET /engagements/:id (the second load, so nothing is first-time work). */
  async function statementsOfPage(engagementId: string): Promise<{ count: number; html: string }> {
    await browser.get(`/engagements/${engagementId}`);
    counter.count = 0;
    const page = await browser.get(`/engagements/${engagementId}`);
    expect(page.status).toBe(200);
    return { count: counter.count, html: page.text };
  }

  it('runs as many SQL statements with eight rounds as with one', async () => {
    const { engagement: single } = await createRoundWithRaters(context, coach, { peers: 3 }, { engagement: await createClientEngagement(context, coach, { clientName: 'One Round' }) });
    const eight = await engagementWithEightRounds();
    expect(await context.db.selectFrom('rounds').select('id').where('engagement_id', '=', eight.id).execute()).toHaveLength(8);

    const one = await statementsOfPage(single.id);
    const many = await statementsOfPage(eight.id);
    // The page shows what the statements were for: eight rounds, the pulse trend, the offer to close.
    expect(many.html.match(/href="\/rounds\/[^"/]+"/g)).toHaveLength(8);
    expect(many.html).toContain('id="chart-pulse-trend"');
    expect(many.html).toContain('Move to “Evaluation and closure”');
    expect(many.count).toBe(one.count);
  });
});
