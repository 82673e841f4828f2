import { describe, expect, it } from 'vitest';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { columnLetter, readTranslationTable, translationsCsv } from '../../server/questionnaires/questionnaire-csv';
import type { QuestionnaireDefinition } from '../../server/questionnaires/questionnaire-definition';
import { mapTranslations } from '../../server/questionnaires/questionnaire-languages';

/** A Dutch questionnaire with a German translation of one item that a spreadsheet would run as a formula. */
function dutch(): QuestionnaireDefinition {
  return {
    name: 'Teamleider',
    description: '',
    language: 'nl',
    scale: { points: 4, labels: ['Nooit', 'Soms', 'Vaak', 'Altijd'], naLabel: 'Weet ik niet' },
    competencies: [{ id: 'c1', name: 'Leiden', description: '', items: [{ id: 'i1', text: '= stelt doelen', translations: { de: { text: '-setzt Ziele' } } }] }],
    openQuestions: [],
  };
}

describe('the translations spreadsheet', () => {
  it('writes one row per text and one column per language, the own language first, for spreadsheets', () => {
    const csv = translationsCsv(dutch());
    expect(csv).toBe(
      [
        '\uFEFFkey,nl,en,fr,de,es',
        'scale.1,Nooit,,,,',
        'scale.2,Soms,,,,',
        'scale.3,Vaak,,,,',
        'scale.4,Altijd,,,,',
        'scale.na,Weet ik niet,,,,',
        'competency.c1.name,Leiden,,,,',
        // Guarded against formulas: a quote before "=" and "-".
        "item.i1,'= stelt doelen,,,'-setzt Ziele,",
        '',
      ].join('\r\n'),
    );
  });

  it('reads its own export back unchanged, guards and all', () => {
    for (const definition of [dutch(), LEADERSHIP_360]) {
      const result = readTranslationTable(translationsCsv(definition), definition);
      expect(result).toEqual({ ok: true, definition, changed: 0, languages: expect.any(Array) });
    }
  });

  it('fills a questionnaire from a sheet of tabs with language names as headings, and counts what changed', () => {
    const english = mapTranslations(LEADERSHIP_360, () => ({}));
    const sheet = 'Key\tFrançais\tEnglish\nitem.c2i3\tExplique le raisonnement qui sous-tend ses décisions.\tExplains the reasoning behind decisions.\nquestion.q1\t"Qu’est-ce que cette personne fait bien, selon vous\u00a0?"\t\n';
    const result = readTranslationTable(sheet, english);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changed).toBe(2);
    expect(result.languages).toEqual(['fr']);
    expect(result.definition.competencies[1]!.items[2]!.translations).toEqual({ fr: { text: 'Explique le raisonnement qui sous-tend ses décisions.' } });
    expect(result.definition.openQuestions[0]!.translations).toEqual({ fr: { text: 'Qu’est-ce que cette personne fait bien, selon vous\u00a0?' } });
  });

  it('removes a translation whose cell is empty, in the columns the file has only', () => {
    const result = readTranslationTable('key,de\r\nitem.c5i5,\r\n', LEADERSHIP_360);
    expect(result.ok && result.definition.competencies[4]!.items[4]!.translations).toEqual({
      fr: { text: 'Joint le geste à la parole.' },
      es: { text: 'Cumple lo que dice.' },
      nl: { text: 'Laat woorden door daden volgen.' },
    });
    expect(result.ok && result.changed).toBe(1);
  });

  it('names spreadsheet columns as spreadsheets do', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('refuses two columns of one language and a language column given twice by name', () => {
    const result = readTranslationTable('key,fr,Français\nscale.1,a,b\n', LEADERSHIP_360);
    expect(result).toEqual({ ok: false, problems: [{ code: 'duplicateColumn', row: 1, column: 'C', header: 'Français' }] });
  });
});
