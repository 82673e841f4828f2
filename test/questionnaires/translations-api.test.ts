import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { mapTranslations } from '../../server/questionnaires/questionnaire-languages';
import { DATABASE_KINDS } from '../helpers/databases';
import { signedInCoachPerSuite } from '../helpers/suite';

describe.each(DATABASE_KINDS)('questionnaire languages in the API (%s)', (kind) => {
  const suite = signedInCoachPerSuite(kind);

  async function api(method: string, path: string, body?: unknown) {
    const { token } = await createApiToken(suite.context.db, suite.context.clock, suite.coach.id, 'Translations');
    const response = await suite.context.app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
  }

  it('gives each questionnaire its language, the languages it covers, and its translations in the document', async () => {
    const list = await api('GET', '/questionnaires');
    expect(list.body.items[0]).toMatchObject({ id: 'leadership-360', language: 'en', languages: ['en', 'fr', 'de', 'es', 'nl'] });
    const builtin = await api('GET', '/questionnaires/leadership-360');
    expect(builtin.body).toMatchObject({ language: 'en', languages: ['en', 'fr', 'de', 'es', 'nl'] });
    expect(builtin.body.document.language).toBe('en');
    expect(builtin.body.document.competencies[6].items[2]).toEqual({
      id: 'c7i3',
      text: 'Admits mistakes and learns from them.',
      translations: {
        fr: { text: 'Reconnaît ses erreurs et en tire des enseignements.' },
        de: { text: 'Räumt Fehler ein und lernt daraus.' },
        es: { text: 'Reconoce sus errores y aprende de ellos.' },
        nl: { text: 'Geeft fouten toe en leert ervan.' },
      },
    });
  });

  it('creates a questionnaire from a document with translations, and from one written before languages', async () => {
    const builtin = await api('GET', '/questionnaires/leadership-360');
    const frenchOnly = mapTranslations(LEADERSHIP_360, (text) => (text.translations.fr ? { fr: text.translations.fr } : {}));
    const created = await api('POST', '/questionnaires', { ...builtin.body.document, ...frenchOnly, name: 'Leadership 360 FR' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ language: 'en', languages: ['en', 'fr'] });

    const { language: _language, ...legacy } = mapTranslations(LEADERSHIP_360, () => ({}));
    const old = await api('POST', '/questionnaires', { format: 'threesixty.questionnaire/v1', ...legacy, name: 'From an old export' });
    expect(old.status).toBe(201);
    expect(old.body).toMatchObject({ language: 'en', languages: ['en'] });

    const wrong = await api('POST', '/questionnaires', { ...legacy, name: 'Wrong', language: 'en', openQuestions: [{ text: 'Anything else?', translations: { en: { text: 'Again' } } }] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details['openQuestions.0.translations.en']).toBe('The questionnaire is written in English ("language"): its own texts need no translation into it.');
  });

  it('describes the languages in the OpenAPI document', async () => {
    const response = await suite.context.app.request('/api/openapi.json');
    const document = (await response.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
    expect(document.components.schemas.QuestionnaireSummary.properties.languages).toMatchObject({ type: 'array', items: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'nl'] } });
    expect(document.components.schemas.Questionnaire.properties.language).toMatchObject({ type: 'string', enum: ['en', 'fr', 'de', 'es', 'nl'] });
    const input = document.paths['/v1/questionnaires'].post.requestBody.content['application/json'].schema;
    expect(input.properties.language).toMatchObject({ enum: ['en', 'fr', 'de', 'es', 'nl'] });
    expect(input.properties.competencies.items.properties.items.items.properties.translations.properties.fr).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
  });
});
