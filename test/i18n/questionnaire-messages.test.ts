import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../server/i18n/languages';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { questionnaireTexts } from '../../server/questionnaires/questionnaire-languages';

const root = path.resolve(import.meta.dirname, '../..');
const catalogues = loadCatalogues(path.join(root, 'views/locales'));
const translate = createTranslators(catalogues);

function read(folder: string, extension: string): string {
  return fs
    .readdirSync(path.join(root, folder))
    .filter((file) => file.endsWith(extension))
    .map((file) => fs.readFileSync(path.join(root, folder, file), 'utf8'))
    .join('\n');
}

const templates = read('views/pages/questionnaires', '.hbs') + fs.readFileSync(path.join(root, 'views/partials/language-choice.hbs'), 'utf8');
const code = read('server/questionnaires', '.ts');

// Keys built from a value: a text's kind, a spreadsheet problem's code, a typed translation's problem.
const TEXT_KINDS = ['scaleLabel', 'naLabel', 'competencyName', 'competencyDescription', 'item', 'openQuestion'];
const TABLE_PROBLEMS = ['empty', 'encoding', 'unreadable', 'noKeyColumn', 'noLanguageColumn', 'unknownColumn', 'duplicateColumn', 'extraCell', 'noKey', 'unknownKey', 'duplicateKey', 'sourceChanged', 'tooLong', 'notAllowed', 'noFile', 'tooLarge'];
const TRANSLATION_PROBLEMS = ['tooLong', 'notAllowed'];

const literalKeys = new Set([...`${templates}\n${code}`.matchAll(/["'](questionnaire\.[A-Za-z.]+[A-Za-z])["']/g)].map((match) => match[1]!));
const builtKeys = [
  ...TEXT_KINDS.map((kind) => `questionnaire.text.${kind}`),
  ...TABLE_PROBLEMS.map((problem) => `questionnaire.csv.${problem}`),
  ...TRANSLATION_PROBLEMS.map((problem) => `questionnaire.translations.${problem}`),
];
const catalogueKeys = Object.keys(catalogues.en).filter((key) => key.startsWith('questionnaire.'));

describe('the questionnaire pages’ messages', () => {
  it('the kinds the keys are built from are the kinds of the texts', () => {
    expect(new Set(questionnaireTexts(LEADERSHIP_360).map((text) => text.kind))).toEqual(new Set(TEXT_KINDS));
  });

  it('every message the pages and routes use is in the English catalogue, and every one there is used', () => {
    const used = new Set([...literalKeys, ...builtKeys]);
    expect([...used].filter((key) => !(key in catalogues.en))).toEqual([]);
    expect(catalogueKeys.filter((key) => !used.has(key))).toEqual([]);
  });

  it('every message formats in every language, with any count and language', () => {
    const values = { count: 0, dropped: 0, number: 3, language: 'de', source: 'English', name: 'Leadership 360', what: 'Item 3', excerpt: 'Listens…', column: 'C', header: 'fr', row: 4, problem: 'at most 60 characters.', key: 'item.x', firstRow: 2, max: 60, expected: 'Listens…', line: 7 };
    for (const language of LANGUAGES) {
      for (const key of catalogueKeys) {
        for (const count of [0, 1, 2, 21]) {
          const text = translate(language).t(key, { ...values, count, dropped: count });
          expect(text, `${language} ${key}`).not.toMatch(/[{}]/);
          expect(text.trim(), `${language} ${key}`).not.toBe('');
        }
      }
    }
  });

  it('names each language in each language, and says which texts are missing as a reader of it expects', () => {
    expect(LANGUAGES.map((language) => translate(language).t('questionnaire.languageName', { language: 'de' }))).toEqual(['German', 'allemand', 'Deutsch', 'alemán', 'Duits']);
    expect(translate('fr').t('questionnaire.languages.missingCount', { count: 1 })).toBe('1 texte manquant');
    expect(translate('de').t('questionnaire.languages.missingCount', { count: 3 })).toBe('3 Texte fehlen');
    expect(translate('es').t('questionnaire.flash.translationsSaved', { count: 2, language: 'francés' })).toBe('Guardado. Aún faltan por traducir 2 textos al francés.');
    expect(translate('nl').t('questionnaire.missing.entry', { what: 'Stelling 12', excerpt: 'Shares credit…' })).toBe('Stelling 12: “Shares credit…”');
    expect(translate('fr').t('questionnaire.csv.at', { row: 5, column: 'C', header: 'fr', problem: '500 caractères au maximum.' })).toBe('Ligne 5, colonne C (fr)\u00a0: 500 caractères au maximum.');
  });
});
