import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, SOURCE_LANGUAGE } from '../../server/i18n/languages';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';
import { catalogueProblems } from './catalogue-check';

const catalogues = loadCatalogues(path.resolve(import.meta.dirname, '../../views/locales'));

describe('message catalogues', () => {
  it.each(LANGUAGES.filter((language) => language !== SOURCE_LANGUAGE))('%s has every message of English, with the same arguments', (language) => {
    expect(Object.keys(catalogues[SOURCE_LANGUAGE]).length).toBeGreaterThan(0);
    expect(catalogueProblems(catalogues[SOURCE_LANGUAGE], catalogues[language])).toEqual([]);
  });

  it('English messages all parse', () => {
    expect(catalogueProblems(catalogues[SOURCE_LANGUAGE], catalogues[SOURCE_LANGUAGE])).toEqual([]);
  });

  it('the check finds a missing key, an extra key, a broken message and a changed argument', () => {
    const source = { a: 'Hello {name}', b: '{count, plural, one {# answer} other {# answers}}', c: 'Plain' };
    expect(catalogueProblems(source, { a: 'Bonjour {nom}', b: '{count} réponses', d: 'x' })).toEqual([
      'missing c',
      'extra d',
      'a uses nom:argument instead of name:argument',
      'b uses count:argument instead of count:plural',
    ]);
    expect(catalogueProblems(source, { ...source, c: '{oops' })).toEqual([expect.stringMatching(/^c does not parse/)]);
  });

  it('formats plurals and numbers as each language writes them', () => {
    const translate = createTranslators({ ...catalogues, en: { n: '{count, plural, one {# answer} other {# answers}}' }, fr: { n: '{count, plural, one {# réponse} other {# réponses}}' } });
    expect(translate('en').t('n', { count: 1 })).toBe('1 answer');
    expect(translate('fr').t('n', { count: 0 })).toBe('0 réponse');
    expect(translate('fr').t('n', { count: 2 })).toBe('2 réponses');
    expect(translate('fr').number(4.25)).toBe('4,25');
    expect(translate('de').number(4.25, 1)).toBe('4,3');
    expect(translate('en').number(4.25)).toBe('4.25');
    // A key only English has falls back to English rather than failing a page.
    expect(translate('de').t('n', { count: 3 })).toBe('3 answers');
  });
});
