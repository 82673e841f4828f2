import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../server/errors';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { agreementScale } from '../../server/questionnaires/default-scales';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { describeDefinitionErrors, normaliseDefinition, toExportDocument, type QuestionnaireDefinition } from '../../server/questionnaires/questionnaire-definition';
import {
  carryTranslations,
  coveredLanguages,
  excerpt,
  localizedQuestionnaire,
  mapTranslations,
  missingForLanguages,
  missingTranslations,
  questionnaireTexts,
  sameSourceTexts,
  withLanguageTexts,
} from '../../server/questionnaires/questionnaire-languages';

/** A small questionnaire: a 4-point scale, two competencies (one without a description), three items, one open question. */
function small(): QuestionnaireDefinition {
  return {
    name: 'Team lead 360',
    description: '',
    language: 'en',
    scale: { points: 4, labels: ['Never', 'Sometimes', 'Often', 'Always'], naLabel: "Don't know" },
    competencies: [
      {
        id: 'lead',
        name: 'Leading',
        description: 'Gives direction.',
        items: [
          { id: 'i1', text: 'Sets clear goals.' },
          { id: 'i2', text: 'Shares information, resources and credit with other teams.' },
        ],
      },
      { id: 'care', name: 'Caring', description: '', items: [{ id: 'i3', text: 'Asks how people are.' }] },
    ],
    openQuestions: [{ id: 'q1', text: 'Anything else?' }],
  };
}

/** `small()` with every text translated into French ("fr:" + the English text). */
function smallInFrench(): QuestionnaireDefinition {
  return mapTranslations(small(), (text) => ({ fr: `fr: ${text.source}` }));
}

describe('questionnaire languages', () => {
  it('lists every text a rater reads, with its key, kind and place', () => {
    expect(questionnaireTexts(small()).map((text) => [text.key, text.kind, text.number, text.maxLength])).toEqual([
      ['scale.1', 'scaleLabel', 1, 60],
      ['scale.2', 'scaleLabel', 2, 60],
      ['scale.3', 'scaleLabel', 3, 60],
      ['scale.4', 'scaleLabel', 4, 60],
      ['scale.na', 'naLabel', 1, 60],
      ['competency.lead.name', 'competencyName', 1, 200],
      ['competency.lead.description', 'competencyDescription', 1, 1000],
      ['item.i1', 'item', 1, 500],
      ['item.i2', 'item', 2, 500],
      // No description, nothing to translate.
      ['competency.care.name', 'competencyName', 2, 200],
      ['item.i3', 'item', 3, 500],
      ['question.q1', 'openQuestion', 1, 500],
    ]);
  });

  it('covers a language only when every text has a translation; the own language always', () => {
    expect(coveredLanguages(small())).toEqual(['en']);
    const french = smallInFrench();
    expect(coveredLanguages(french)).toEqual(['en', 'fr']);
    const oneMissing = withLanguageTexts(french, 'fr', { 'item.i2': '' });
    expect(coveredLanguages(oneMissing)).toEqual(['en']);
    // Written in German: German is covered, English is a translation like any other.
    expect(coveredLanguages({ ...small(), language: 'de' })).toEqual(['de']);
    // Definitions stored before languages have none: they are English.
    const { language: _language, ...legacy } = small();
    expect(coveredLanguages(legacy)).toEqual(['en']);
  });

  it('says what is missing for a language, in questionnaire order, with a short excerpt', () => {
    const partly = withLanguageTexts(smallInFrench(), 'fr', { 'item.i2': '', 'scale.na': '', 'competency.care.name': '' });
    expect(missingTranslations(partly, 'fr')).toEqual([
      { language: 'fr', key: 'scale.na', kind: 'naLabel', number: 1, source: "Don't know", excerpt: "Don't know" },
      {
        language: 'fr',
        key: 'item.i2',
        kind: 'item',
        number: 2,
        source: 'Shares information, resources and credit with other teams.',
        excerpt: 'Shares information, resources and credit with…',
      },
      { language: 'fr', key: 'competency.care.name', kind: 'competencyName', number: 2, source: 'Caring', excerpt: 'Caring' },
    ]);
    expect(missingTranslations(partly, 'en')).toEqual([]);
    expect(missingTranslations(small(), 'nl')).toHaveLength(12);
    expect(excerpt('Short.')).toBe('Short.');
    expect(excerpt('Averyveryverylongwordwithoutanyspaceatallinsideitanywhere')).toBe('Averyveryverylongwordwithoutanyspaceatallinsidei…');
  });

  it('gives the launch rule what keeps each language out: nothing when all are covered', () => {
    const french = smallInFrench();
    expect(missingForLanguages(french, ['en', 'fr'])).toEqual([]);
    const gaps = missingForLanguages(withLanguageTexts(french, 'fr', { 'question.q1': '' }), ['en', 'fr', 'de', 'fr']);
    expect(gaps.map((gap) => [gap.language, gap.missing.map((missing) => missing.key)])).toEqual([
      ['fr', ['question.q1']],
      ['de', questionnaireTexts(french).map((text) => text.key)],
    ]);
    expect(missingForLanguages(LEADERSHIP_360, ['en', 'fr', 'de', 'es', 'nl'])).toEqual([]);
  });

  it('gives the questionnaire in a language with the same ids, scale and order, and no translations left', () => {
    const french = localizedQuestionnaire(smallInFrench(), 'fr');
    expect(french).toEqual({
      name: 'Team lead 360',
      description: '',
      language: 'fr',
      scale: { points: 4, labels: ['fr: Never', 'fr: Sometimes', 'fr: Often', 'fr: Always'], naLabel: "fr: Don't know" },
      competencies: [
        {
          id: 'lead',
          name: 'fr: Leading',
          description: 'fr: Gives direction.',
          items: [
            { id: 'i1', text: 'fr: Sets clear goals.' },
            { id: 'i2', text: 'fr: Shares information, resources and credit with other teams.' },
          ],
        },
        { id: 'care', name: 'fr: Caring', description: '', items: [{ id: 'i3', text: 'fr: Asks how people are.' }] },
      ],
      openQuestions: [{ id: 'q1', text: 'fr: Anything else?' }],
    });
    // In its own language: the source texts.
    expect(localizedQuestionnaire(smallInFrench(), 'en')).toEqual(small());
  });

  it('refuses a language that is not covered unless the caller falls back to the source (a preview)', () => {
    const partly = withLanguageTexts(smallInFrench(), 'fr', { 'item.i1': '', 'scale.2': '' });
    expect(() => localizedQuestionnaire(partly, 'fr')).toThrow(ConflictError);
    expect(() => localizedQuestionnaire(partly, 'fr')).toThrow('"Team lead 360" is not fully translated into fr: 2 of its texts have no translation yet.');
    const preview = localizedQuestionnaire(partly, 'fr', { fallBackToSource: true });
    expect(preview.scale.labels).toEqual(['fr: Never', 'Sometimes', 'fr: Often', 'fr: Always']);
    expect(preview.competencies[0]!.items.map((item) => item.text)).toEqual(['Sets clear goals.', 'fr: Shares information, resources and credit with other teams.']);
  });

  it('Leadership 360 covers all five languages, each text translated, with the agreement scale of each', () => {
    expect(coveredLanguages(LEADERSHIP_360)).toEqual(['en', 'fr', 'de', 'es', 'nl']);
    const german = localizedQuestionnaire(LEADERSHIP_360, 'de');
    expect(german.scale).toEqual({ points: 5, labels: ['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Teils, teils', 'Stimme zu', 'Stimme voll und ganz zu'], naLabel: 'Kann ich nicht beurteilen' });
    expect(german.competencies[4]!.items[4]!.text).toBe('Hält Wort.');
    expect(localizedQuestionnaire(LEADERSHIP_360, 'fr').openQuestions[0]!.text).toBe('Qu’est-ce que cette personne fait particulièrement bien et devrait continuer à faire\u00a0?');
    expect(localizedQuestionnaire(LEADERSHIP_360, 'es').competencies[2]!.items[0]!.text).toBe('Escucha con atención, sin interrumpir.');
    expect(localizedQuestionnaire(LEADERSHIP_360, 'nl').competencies[1]!.name).toBe('Besluitvorming');
    // No statement or question is left in English (a name may be the same word: "Communication"),
    // and no two texts of a language share a translation.
    for (const language of ['fr', 'de', 'es', 'nl'] as const) {
      const texts = questionnaireTexts(LEADERSHIP_360).filter((text) => text.kind !== 'scaleLabel' && text.kind !== 'naLabel');
      expect(texts.filter((text) => text.kind !== 'competencyName' && text.translations[language] === text.source)).toEqual([]);
      const translations = texts.map((text) => text.translations[language]);
      expect(new Set(translations).size).toBe(translations.length);
    }
  });

  it('translations change neither the questionnaire version nor what the report engine reads', () => {
    const { language: _language, ...englishOnly } = mapTranslations(LEADERSHIP_360, () => ({}));
    expect(questionnaireVersionOf(LEADERSHIP_360)).toBe(questionnaireVersionOf(englishOnly));
    expect(sameSourceTexts(LEADERSHIP_360, englishOnly)).toBe(true);
    const reworded = withLanguageTexts(englishOnly, 'fr', {});
    reworded.competencies[0]!.items[0]!.text = 'Describes a direction.';
    expect(sameSourceTexts(LEADERSHIP_360, reworded)).toBe(false);
    expect(sameSourceTexts(LEADERSHIP_360, { ...englishOnly, language: 'nl' })).toBe(false);
  });

  it('sets and removes the texts of one language by key, leaving the other languages and keys alone', () => {
    const both = withLanguageTexts(smallInFrench(), 'de', { 'scale.3': 'Oft', 'competency.lead.description': 'Gibt Richtung.', 'item.i3': 'Fragt, wie es geht.' });
    const edited = withLanguageTexts(both, 'fr', { 'scale.3': '', 'scale.na': 'Je ne sais pas' });
    expect(edited.scale.translations).toEqual({
      fr: { labels: ['fr: Never', 'fr: Sometimes', '', 'fr: Always'], naLabel: 'Je ne sais pas' },
      de: { labels: ['', '', 'Oft', ''] },
    });
    expect(edited.competencies[0]!.translations).toEqual({ fr: { name: 'fr: Leading', description: 'fr: Gives direction.' }, de: { description: 'Gibt Richtung.' } });
    expect(edited.competencies[1]!.items[0]!.translations).toEqual({ fr: { text: 'fr: Asks how people are.' }, de: { text: 'Fragt, wie es geht.' } });
    // Removing every translation of a text removes its `translations` altogether.
    expect(withLanguageTexts(small(), 'fr', { 'question.q1': '' }).openQuestions[0]).toEqual({ id: 'q1', text: 'Anything else?' });
  });

  it('keeps the translations of texts an edit leaves as they were, and drops those of reworded texts', () => {
    const before = smallInFrench();
    const edited = structuredClone(small());
    edited.competencies[0]!.items[1]!.text = 'Shares credit with other teams.';
    edited.competencies.reverse();
    edited.scale.labels[0] = 'Rarely';
    edited.openQuestions.push({ id: 'q2', text: 'What else?' });
    const { definition, dropped } = carryTranslations(before, edited);
    expect(dropped).toBe(2);
    expect(coveredLanguages(definition)).toEqual(['en']);
    expect(missingTranslations(definition, 'fr').map((missing) => missing.key)).toEqual(['scale.1', 'item.i2', 'question.q2']);
    expect(definition.competencies[0]!.translations).toEqual({ fr: { name: 'fr: Caring' } });
    expect(definition.competencies[1]!.items[0]!.translations).toEqual({ fr: { text: 'fr: Sets clear goals.' } });
  });

  it('keeps stored definitions and documents from before languages valid, and exports the language', () => {
    const { language: _language, ...legacy } = small();
    const result = normaliseDefinition({ format: 'threesixty.questionnaire/v1', ...legacy });
    expect(result.ok && result.definition).toEqual(small());
    expect(toExportDocument(legacy)).toMatchObject({ format: 'threesixty.questionnaire/v1', name: 'Team lead 360', language: 'en' });
    const exported = toExportDocument(smallInFrench());
    const again = normaliseDefinition(JSON.parse(JSON.stringify(exported)));
    expect(again.ok && again.definition).toEqual(smallInFrench());
  });

  it('cleans translations on input: empty ones go, and so does one of a description the source lacks', () => {
    const input = structuredClone(small()) as QuestionnaireDefinition;
    input.competencies[1]!.translations = { fr: { name: ' Bienveillance ', description: 'Rien à traduire' }, de: { name: '' } };
    input.competencies[0]!.items[0]!.translations = { fr: { text: '   ' } };
    input.scale.translations = { nl: { labels: ['', '', '', ''], naLabel: 'Weet ik niet' } };
    const result = normaliseDefinition(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.competencies[1]!.translations).toEqual({ fr: { name: 'Bienveillance' } });
    expect(result.definition.competencies[0]!.items[0]).toEqual({ id: 'i1', text: 'Sets clear goals.' });
    expect(result.definition.scale.translations).toEqual({ nl: { naLabel: 'Weet ik niet' } });
  });

  it('names a translation into the own language, an unknown language and a scale of the wrong size', () => {
    const input = structuredClone(small()) as unknown as Record<string, unknown> & QuestionnaireDefinition;
    input.competencies[0]!.items[1]!.translations = { en: { text: 'Again' } };
    (input.openQuestions[0] as unknown as { translations: unknown }).translations = { xx: { text: '?' } };
    input.scale.translations = { fr: { labels: ['Jamais', 'Parfois', 'Souvent'] } };
    const result = normaliseDefinition(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeDefinitionErrors(result.error)).toEqual([
      'scale.translations.fr.labels: A translated scale needs one label per point ("" for a point not translated yet).',
      'openQuestions[0].translations: "xx" is not one of the languages en, fr, de, es, nl',
      'competencies[0].items[1].translations.en: The questionnaire is written in English ("language"): its own texts need no translation into it.',
    ]);
  });

  it('offers the agreement scale of each size in each language, translated into the others', () => {
    const dutch = agreementScale(7, 'nl');
    expect(dutch.labels).toEqual(['Helemaal mee oneens', 'Mee oneens', 'Enigszins mee oneens', 'Neutraal', 'Enigszins mee eens', 'Mee eens', 'Helemaal mee eens']);
    expect(dutch.naLabel).toBe('Kan ik niet beoordelen');
    expect(Object.keys(dutch.translations!)).toEqual(['en', 'fr', 'de', 'es']);
    expect(dutch.translations!.es).toEqual({ labels: ['Totalmente en desacuerdo', 'En desacuerdo', 'Algo en desacuerdo', 'Ni de acuerdo ni en desacuerdo', 'Algo de acuerdo', 'De acuerdo', 'Totalmente de acuerdo'], naLabel: 'No puedo valorarlo' });
  });
});
