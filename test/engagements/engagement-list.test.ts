import { describe, expect, it } from 'vitest';
import { createEngagement } from '../../server/engagements/engagements.service';
import { copyQuestionnaire, setQuestionnaireArchived } from '../../server/questionnaires/questionnaires.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { signedInCoachPerSuite } from '../helpers/suite';

/** The rows of a list page's table body, as text without tags. */
function rows(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** A link's href by its text, as a browser reads it (Handlebars writes `=` as &#x3D; and `&` as &amp;). */
function linkTo(html: string, text: string): string | undefined {
  return html
    .match(new RegExp(`href="([^"]+)"[^>]*>${text}<`))?.[1]
    ?.replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

describe.each(DATABASE_KINDS)('the coach lists, a page at a time (%s)', (kind) => {
  const suite = signedInCoachPerSuite(kind);

  it('shows 25 engagements a page with each one’s current round and response rate, and pages on with the filters', async () => {
    for (let index = 1; index <= 27; index += 1) {
      suite.context.clock.advanceMinutes(1);
      await createEngagement(suite.context.db, suite.context.clock, suite.coach.id, {
        clientName: `Listed Client ${String(index).padStart(2, '0')}`,
        clientEmail: `listed${index}@example.com`,
        organisation: index % 3 === 0 ? 'Contoso' : 'Northwind',
        role: '',
        startDate: '2026-01-01',
        notes: '',
        stage: 'assessment',
      });
    }
    // The most recently changed engagement: a launched round (the client and 3 peers), one peer has answered.
    suite.context.clock.advanceMinutes(1);
    const { round } = await createRoundWithRaters(suite.context, suite.coach, { peers: 3 });
    await launch(suite.context, suite.coach, round.id);
    const link = await suite.context.db.selectFrom('outbox').innerJoin('invitations', 'invitations.id', 'outbox.invitation_id').select('outbox.action_url').where('outbox.round_id', '=', round.id).where('invitations.is_client', '=', 0).executeTakeFirstOrThrow();
    await answerSurvey(suite.context.browser(), new URL(link.action_url!).pathname);

    const first = await suite.browser.get('/engagements');
    const firstRows = rows(first.text);
    expect(firstRows).toHaveLength(25);
    expect(firstRows[0]).toMatch(/^Jordan Lee .* Baseline 360 open 25% 1 of 4/);
    expect(firstRows[1]).toMatch(/^Listed Client 27 .* – –/);
    expect(linkTo(first.text, 'First page')).toBeUndefined();

    const second = await suite.browser.get(linkTo(first.text, 'Next page')!);
    expect(rows(second.text).map((row) => row.slice(0, 16))).toEqual(['Listed Client 03', 'Listed Client 02', 'Listed Client 01']);
    expect(linkTo(second.text, 'Next page')).toBeUndefined();
    expect(linkTo(second.text, 'First page')).toBe('/engagements');

    // The search and the stage stay on the next page's link.
    const filtered = await suite.browser.get('/engagements?q=NORTH&stage=assessment');
    expect(rows(filtered.text)).toHaveLength(19);
    expect(rows(filtered.text).every((row) => row.includes('Northwind'))).toBe(true);
    expect(linkTo(filtered.text, 'Next page')).toBeUndefined();
    const contoso = await suite.browser.get('/engagements?q=contoso');
    expect(rows(contoso.text)).toHaveLength(9);

    expect((await suite.browser.get('/engagements?cursor=garbage')).status).toBe(422);
  });

  it('shows 25 questionnaires a page, searches by name and lists archived ones apart', async () => {
    for (let index = 1; index <= 26; index += 1) await copyQuestionnaire(suite.context.db, suite.context.clock, suite.coach.id, 'leadership-360');
    const archived = await copyQuestionnaire(suite.context.db, suite.context.clock, suite.coach.id, 'leadership-360');
    await setQuestionnaireArchived(suite.context.db, suite.context.clock, suite.coach.id, archived.id, true);

    const first = await suite.browser.get('/questionnaires');
    expect(rows(first.text)).toHaveLength(25);
    expect(rows(first.text)[0]).toMatch(/^Leadership 360 Built in/);
    const second = await suite.browser.get(linkTo(first.text, 'Next page')!);
    expect(rows(second.text)).toHaveLength(2);

    const onlyArchived = await suite.browser.get('/questionnaires?archived=1');
    expect(onlyArchived.text).toContain(`/questionnaires/${archived.id}`);
    expect(rows(onlyArchived.text)).toHaveLength(1);
    expect((await suite.browser.get('/questionnaires?q=BUILT')).text).toContain('No questionnaire matches this search.');
    expect(rows((await suite.browser.get('/questionnaires?q=(copy)')).text)).toHaveLength(25);
  });
});
