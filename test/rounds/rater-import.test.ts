import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createRoundWithRaters } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('importing a rater list (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => context.close());

  async function importList(list: string | File) {
    const { round } = await createRoundWithRaters(context, coach, {});
    let response;
    if (typeof list === 'string') response = await browser.post(`/rounds/${round.id}/raters/import`, { list });
    else {
      const form = new FormData();
      form.set('file', list);
      response = await browser.postMultipart(`/rounds/${round.id}/raters/import`, form);
    }
    const raters = await context.db
      .selectFrom('invitations')
      .select(['email', 'name', 'group_key'])
      .where('round_id', '=', round.id)
      .where('is_client', '=', 0)
      .orderBy('position')
      .execute();
    return { response, raters, roundId: round.id };
  }

  it('imports a quoted name that holds a line break as one rater, named on one line', async () => {
    const file = new File(['email,name,group\r\nemilie@example.com,"Émilie\r\nDubois",peers\r\nsam@example.com,"Sam ""the boss""\nLee",manager\r\nana@example.com,Ana,peers\r\n'], 'raters.csv', { type: 'text/csv' });
    const { response, raters } = await importList(file);
    expect(response.status).toBe(303);
    expect(raters).toEqual([
      { email: 'emilie@example.com', name: 'Émilie Dubois', group_key: 'peers' },
      { email: 'sam@example.com', name: 'Sam "the boss" Lee', group_key: 'manager' },
      { email: 'ana@example.com', name: 'Ana', group_key: 'peers' },
    ]);
  });

  it('reads a spreadsheet selection (tabs, a cell with a line break quoted by the spreadsheet) and pasted comma lines alike', async () => {
    const spreadsheet = await importList(['ana@example.com\tRuiz, Ana\tPeers', 'bo@example.com\t"Bo\nSmith"\tdirect report', 'cy@example.com\tCy\tothers'].join('\n'));
    expect(spreadsheet.response.status).toBe(303);
    expect(spreadsheet.raters).toEqual([
      { email: 'ana@example.com', name: 'Ruiz, Ana', group_key: 'peers' },
      { email: 'bo@example.com', name: 'Bo Smith', group_key: 'reports' },
      { email: 'cy@example.com', name: 'Cy', group_key: 'others' },
    ]);
    const pasted = await importList(['  ana@example.com , "Ruiz, Ana" , peers', '', 'bo@example.com;Bo;manager', 'cy@example.com,Cy "CJ" Jones,others', 'di@example.com,,peers'].join('\n'));
    expect(pasted.response.status).toBe(303);
    expect(pasted.raters).toEqual([
      { email: 'ana@example.com', name: 'Ruiz, Ana', group_key: 'peers' },
      { email: 'bo@example.com', name: 'Bo', group_key: 'manager' },
      { email: 'cy@example.com', name: 'Cy "CJ" Jones', group_key: 'others' },
      { email: 'di@example.com', name: '', group_key: 'peers' },
    ]);
  });

  it('reads a fourth column as the rater’s language, by code or by name in any of the five languages, the round’s language without it', async () => {
    const { response, roundId } = await importList(
      ['ana@example.com,Ana,peers,fr', 'bo@example.com,Bo,peers,Französisch', 'cy@example.com,Cy,peers,ESPAÑOL', 'di@example.com,Di,reports,Nederlands', 'ed@example.com,Ed,reports,  german ', 'fi@example.com,Fi,others'].join('\n'),
    );
    expect(response.status).toBe(303);
    const languages = await context.db.selectFrom('invitations').select(['email', 'language']).where('round_id', '=', roundId).where('is_client', '=', 0).orderBy('email').execute();
    expect(languages).toEqual([
      { email: 'ana@example.com', language: 'fr' },
      { email: 'bo@example.com', language: 'fr' },
      { email: 'cy@example.com', language: 'es' },
      { email: 'di@example.com', language: 'nl' },
      { email: 'ed@example.com', language: 'de' },
      { email: 'fi@example.com', language: 'en' },
    ]);

    const unknown = await importList(['gu@example.com,Gu,peers,fr', 'ha@example.com,Ha,peers,Klingon'].join('\n'));
    expect(unknown.response.status).toBe(422);
    expect(unknown.response.text).toContain('Line 2: Unknown language &quot;Klingon&quot;.');
    expect(unknown.raters).toEqual([]);
  });

  it('names the line of each problem, counting the lines a quoted name spans, and adds nobody', async () => {
    const { response, raters } = await importList(['ana@example.com,"Ana', 'Ruiz",peers', 'not-an-email,Bob,peers', 'cy@example.com,"Cy" Jones,peers', 'di@example.com,Di,peers,fr,extra'].join('\n'));
    expect(response.status).toBe(422);
    expect(response.text).toContain('Line 3: &quot;not-an-email&quot; is not a valid email address.');
    expect(response.text).toContain('Line 4: A quoted field must end at its closing quote');
    expect(response.text).toContain('Line 5: Too many columns: use email,name,group,language.');
    expect(raters).toEqual([]);

    const unclosed = await importList(['ana@example.com,Ana,peers', 'bo@example.com,"Bo,peers', 'cy@example.com,Cy,peers'].join('\n'));
    expect(unclosed.response.status).toBe(422);
    expect(unclosed.response.text).toContain('Line 2: A quote opened on this line is never closed.');
    expect(unclosed.raters).toEqual([]);
  });
});
