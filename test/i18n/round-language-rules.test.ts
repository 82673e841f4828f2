import { describe, expect, it } from 'vitest';
import type { Language } from '../../server/i18n/languages';
import { listLanguage } from '../../server/portal/rater-surveys';
import { languageGivesAway, languageNamed, languagesOfRound } from '../../server/rounds/round-languages';

describe("the rules of a round's languages", () => {
  it('reads a language by code or by its name in any of the five languages, ignoring case and accents', () => {
    const named = ['fr', 'FR', 'French', 'français', 'Francais', 'Französisch', 'francés', 'Frans', ' Allemand ', 'Deutsch', 'Alemán', 'Duits', 'castellano', 'Néerlandais', 'Niederländisch', 'neerlandes', 'Engels', 'inglés'].map(languageNamed);
    expect(named).toEqual(['fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'de', 'de', 'de', 'de', 'es', 'nl', 'nl', 'nl', 'en', 'en']);
    for (const unknown of ['', 'it', 'Italian', 'Klingon', 'f', 'english please']) expect(languageNamed(unknown), unknown).toBeUndefined();
  });

  it("runs a round in its own language and each rater's, in the order of the languages", () => {
    expect(languagesOfRound({ language: 'nl' }, [{ language: 'es' }, { language: 'fr' }, { language: 'es' }])).toEqual(['fr', 'es', 'nl']);
  });

  it("warns a rater whose language fewer than k raters read, unless it is the round's or they are the client", () => {
    const round = { language: 'en' as Language, k: 3 };
    const counts = new Map<Language, number>([
      ['en', 1],
      ['fr', 3],
      ['de', 2],
    ]);
    expect(languageGivesAway({ language: 'de', self: false }, round, counts)).toBe(true);
    expect(languageGivesAway({ language: 'nl', self: false }, round, counts)).toBe(true); // counted nowhere yet
    expect(languageGivesAway({ language: 'fr', self: false }, round, counts)).toBe(false); // exactly k
    expect(languageGivesAway({ language: 'en', self: false }, round, counts)).toBe(false); // the common language
    expect(languageGivesAway({ language: 'de', self: true }, round, counts)).toBe(false);
  });

  it('writes a list of surveys in the language of the one launched last, the first of a tie', () => {
    expect(
      listLanguage([
        { language: 'fr', launchedAt: '2026-03-02T09:00:00.000Z' },
        { language: 'de', launchedAt: '2026-03-05T09:00:00.000Z' },
        { language: 'nl', launchedAt: '2026-03-05T09:00:00.000Z' },
        { language: 'es', launchedAt: '2026-03-01T09:00:00.000Z' },
      ]),
    ).toBe('de');
    expect(listLanguage([])).toBe('en');
  });
});
