import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../server/i18n/languages';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';
import { createViews } from '../../server/views';

// Messages with what escaping touches (ICU reserves < and ' for itself), one with a value, one used as a partial's argument.
const MESSAGES = (language: string) => ({
  'sample.plain': `Save & continue "${language}" =\`x\` > 0`,
  'sample.hello': `Hello {name} (${language})`,
  'sample.label': `Label ${language} & co`,
});

// A message beside a block at the very start and end: where Handlebars decides whether a block stands on a line of its own.
const PAGE = `{{t "sample.label"}}{{#if flag}}
[yes]
{{/if}}<h1>{{t "sample.plain"}}</h1>
<p title="{{t "sample.plain"}}">{{{t "sample.plain"}}}</p>
{{#if flag}}
  {{t "sample.plain"}}
{{/if}}
<p>{{t "sample.hello" name=who}} {{~t "sample.plain"~}} .</p>
{{> sample-part label=(t "sample.label")}}
{{#each rows}}<i>{{t "sample.label"}} {{this}}</i>{{/each}}
{{#if flag}}
!
{{/if}}{{t "sample.label"}}`;
const PARTIAL = '<span>{{label}}|{{t "sample.plain"}}</span>';
const TEXT_EMAIL = '{{t "sample.plain"}}\n{{t "sample.hello" name=who}}\n{{> email-text-sample}}\n';
const TEXT_PARTIAL = '-- {{t "sample.label"}} {{t "sample.plain"}}';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'template-messages-'));
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
  fs.writeFileSync(path.join(directory, file), text);
};
for (const language of LANGUAGES) write(`locales/${language}.json`, JSON.stringify(MESSAGES(language)));
write('pages/sample.hbs', PAGE);
write('partials/sample-part.hbs', PARTIAL);
write('partials/email-text-sample.hbs', TEXT_PARTIAL);
write('layouts/bare.hbs', '{{{body}}}');
write('layouts/email.hbs', '<html>{{{body}}}</html>');
write('email/sample.html.hbs', '<p>{{t "sample.plain"}}</p>');
write('email/sample.text.hbs', TEXT_EMAIL);
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

/** The templates as they were rendered before messages were written in: every message a helper call. */
function reference(source: string, noEscape: boolean, data: Record<string, unknown>): string {
  const hbs = Handlebars.create();
  const translate = createTranslators(loadCatalogues(path.join(directory, 'locales')));
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => translate(options.data.root.language).t(key, options.hash));
  hbs.registerPartial('sample-part', PARTIAL);
  hbs.registerPartial('email-text-sample', TEXT_PARTIAL);
  return hbs.compile(source, { noEscape, preventIndent: true })(data);
}

describe('messages written into templates when they are compiled', () => {
  const views = createViews(directory, (name) => `/static/${name}`);

  it.each(LANGUAGES)('prints a page in %s exactly as the helper did: escaped, unescaped, whitespace, values, partial arguments, loops', (language) => {
    for (const flag of [true, false]) {
      const data = { language, flag, who: 'Ana <b>', rows: ['a', 'b'] };
      const page = views.page('sample', data, 'bare');
      expect(page).toBe(reference(PAGE, false, data));
      expect(page).toContain(Handlebars.Utils.escapeExpression(MESSAGES(language)['sample.plain']));
      expect(page).toContain(MESSAGES(language)['sample.plain']);
    }
  });

  it.each(LANGUAGES)('leaves a plain-text email and its partials in %s unescaped, an HTML email escaped', (language) => {
    const data = { language, who: 'Ana & Bo' };
    const email = views.email('sample', data);
    expect(email.text).toBe(reference(TEXT_EMAIL, true, data));
    expect(email.text).toContain(`-- Label ${language} & co Save & continue "${language}" =\`x\` > 0`);
    expect(email.html).toBe(`<html><p>${Handlebars.Utils.escapeExpression(MESSAGES(language)['sample.plain'])}</p></html>`);
  });

  it('prints a page whose data names no language in English', () => {
    const data = { flag: true, who: 'Ana', rows: [] };
    expect(views.page('sample', data, 'bare')).toBe(reference(PAGE, false, { ...data, language: 'en' }));
  });
});
