import { parse } from 'content-disposition';
import { describe, expect, it } from 'vitest';
import { buildChangeReport, buildReport } from '../../reports';
import { changeCsv, reportCsv } from '../../server/reports/report-csv';
import { splitFields } from '../../server/rounds/rater-list';
import { questionnaire, raters, reportInput, response, SELF, PEERS } from '../reports/fixtures';
import { createCoach, createTestContext, signedInBrowser } from '../helpers/test-app';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';

describe('downloads', () => {
  it('keep no cell a spreadsheet would run as a formula, full-width signs included', () => {
    const hostile = questionnaire({ '＝HYPERLINK("x")': ['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\ttab', '＋x', '－y', '＠z'] });
    const input = reportInput({ groups: [SELF, PEERS], questionnaire: hostile, responses: [response('self', { '=1+1': 4 }), ...raters('peers', '=1+1', [3, 4, 5])] });
    const model = buildReport(input);
    const cells = reportCsv(model).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).flatMap((line) => splitFields(line));
    const texts = cells.filter((cell) => /[A-Za-z]/.test(cell) && !['item', 'competency', 'Self', 'All others', 'Peers'].includes(cell));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text, text).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
    expect(cells).toContain(`'＝HYPERLINK("X")`); // the fixture names a competency after its id, upper-cased
    // Numbers keep their sign: a negative gap is a number, not a formula.
    const change = changeCsv(buildChangeReport(model, buildReport({ ...input, responses: raters('peers', '=1+1', [1, 2, 3]) }), { focus: [], ratersInBoth: 0 }));
    expect(change).toMatch(/,-2,/);
  });

  it('are named after the client as written, with an ASCII fallback', async () => {
    const context = await createTestContext('sqlite');
    try {
      const coach = await createCoach(context);
      const { round } = await createRoundWithRaters(context, coach, { peers: 3 });
      await context.db.updateTable('engagements').set({ client_name: 'Émilie Dubois' }).execute();
      await launch(context, coach, round.id);
      await deliverOutbox(context);
      for (const mail of (await readEmlOutbox(context)).filter((message) => recipientsOf(message)[0]!.startsWith('peers'))) await answerSurvey(context.browser(), linkIn(mail, '/s/'));
      const browser = await signedInBrowser(context, coach);
      await browser.post(`/rounds/${round.id}/close`);
      for (const extension of ['csv', 'json']) {
        const header = (await browser.get(`/rounds/${round.id}/report.${extension}`)).headers.get('content-disposition')!;
        expect(header).toContain(`filename="Emilie Dubois baseline 360.${extension}"`);
        expect(parse(header).parameters.filename).toBe(`Émilie Dubois baseline 360.${extension}`);
      }
    } finally {
      await context.close();
    }
  });
});
