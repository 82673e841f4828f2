import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import type { QuestionnaireDefinition } from '../../server/questionnaires/questionnaire-definition';
import { DATABASE_KINDS } from '../helpers/databases';
import { inputValue, type TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/** All named fields of the editor form as a browser would submit them. */
function editorFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[match[1]!] = decode(match[2]!);
  for (const match of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[match[1]!] = decode(match[2]!);
  for (const match of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>[\s\S]*?<option value="([^"]+)" selected/g)) fields[match[1]!] = match[2]!;
  delete fields._csrf;
  return fields;
}

function decode(text: string): string {
  return text.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

describe.each(DATABASE_KINDS)('questionnaires (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => context.close());

  async function definitionOf(id: string): Promise<QuestionnaireDefinition> {
    const row = await context.db.selectFrom('questionnaires').select('definition').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.definition) as QuestionnaireDefinition;
  }

  async function copyDefault(): Promise<string> {
    const response = await browser.post('/questionnaires/leadership-360/copy');
    expect(response.status).toBe(303);
    return response.location!.split('/')[2]!;
  }

  it('ships Leadership 360: 8 competencies of 5 items, 3 open questions, a labelled 5-point scale with N/A', async () => {
    expect(LEADERSHIP_360.competencies).toHaveLength(8);
    for (const competency of LEADERSHIP_360.competencies) expect(competency.items).toHaveLength(5);
    expect(LEADERSHIP_360.openQuestions).toHaveLength(3);
    expect(LEADERSHIP_360.scale).toMatchObject({
      points: 5,
      labels: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
      naLabel: 'Not able to rate',
    });
    const list = await browser.get('/questionnaires');
    expect(list.text).toContain('Leadership 360');
    expect(list.text).toContain('Built in');
    const page = await browser.get('/questionnaires/leadership-360');
    expect(page.text).toContain('Listens attentively without interrupting.');
  });

  it('keeps the built-in questionnaire read-only', async () => {
    const before = await definitionOf('leadership-360');
    const edit = await browser.get('/questionnaires/leadership-360/edit');
    expect(edit.status).toBe(303);
    const post = await browser.post('/questionnaires/leadership-360/edit', { name: 'Hijacked', scalePoints: '5', scaleLabels: 'a\nb\nc\nd\ne', naLabel: 'x' });
    expect(post.status).toBe(403);
    expect(await definitionOf('leadership-360')).toEqual(before);
  });

  it('copies a questionnaire into an editable one of the coach', async () => {
    const id = await copyDefault();
    const copy = await definitionOf(id);
    expect(copy.name).toBe('Leadership 360 (copy)');
    expect(copy.competencies).toEqual(LEADERSHIP_360.competencies);
    const row = await context.db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.coach_id).toBe(coach.id);
    expect(row.is_builtin).toBe(0);
  });

  it('edits names and items, reorders, removes and adds, keeping ids of what stays', async () => {
    const id = await copyDefault();
    const original = await definitionOf(id);
    const form = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    expect(form['c.0.name']).toBe('Vision and strategy');

    // Rename, change an item, and move competency 2 up, in one submit (nothing typed is lost).
    const moved = await browser.post(`/questionnaires/${id}/edit`, {
      ...form,
      name: 'Leadership 360 for Acme',
      'c.0.i.0.text': 'Describes a clear direction for the team.',
      action: 'up:c.1',
    });
    expect(moved.status).toBe(303);
    let saved = await definitionOf(id);
    expect(saved.name).toBe('Leadership 360 for Acme');
    expect(saved.competencies.map((competency) => competency.name).slice(0, 2)).toEqual(['Decision making', 'Vision and strategy']);
    expect(saved.competencies[1]!.items[0]).toEqual({ id: original.competencies[0]!.items[0]!.id, text: 'Describes a clear direction for the team.' });

    // Move an item down, remove another, add two items and a new competency and open question.
    const form2 = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    await browser.post(`/questionnaires/${id}/edit`, { ...form2, action: 'down:c.0.i.0' });
    const form3 = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    await browser.post(`/questionnaires/${id}/edit`, {
      ...form3,
      'c.2.newItems': 'Summarises what others said before replying.\nChecks that the message was understood.',
      'newCompetency.name': 'Inclusion',
      'newCompetency.items': 'Invites quieter voices into discussions.\nTreats people fairly.',
      newQuestions: 'Anything else?',
      action: 'remove:c.7',
    });
    saved = await definitionOf(id);
    expect(saved.competencies[0]!.items.map((item) => item.text).slice(0, 2)).toEqual([
      original.competencies[1]!.items[1]!.text,
      original.competencies[1]!.items[0]!.text,
    ]);
    expect(saved.competencies).toHaveLength(8); // removed one, added one
    expect(saved.competencies.map((competency) => competency.name)).not.toContain('Leading change');
    expect(saved.competencies[7]).toMatchObject({ name: 'Inclusion', items: [{ text: 'Invites quieter voices into discussions.' }, { text: 'Treats people fairly.' }] });
    expect(saved.competencies[2]!.items.slice(-2).map((item) => item.text)).toEqual([
      'Summarises what others said before replying.',
      'Checks that the message was understood.',
    ]);
    expect(saved.openQuestions.map((question) => question.text)).toContain('Anything else?');
    const allIds = [...saved.competencies.flatMap((competency) => [competency.id, ...competency.items.map((item) => item.id)]), ...saved.openQuestions.map((question) => question.id)];
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  it('changes the scale: default labels follow the number of points, custom labels must match it', async () => {
    const id = await copyDefault();
    const form = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    await browser.post(`/questionnaires/${id}/edit`, { ...form, scalePoints: '7' });
    expect((await definitionOf(id)).scale.labels).toEqual([
      'Strongly disagree',
      'Disagree',
      'Slightly disagree',
      'Neither agree nor disagree',
      'Slightly agree',
      'Agree',
      'Strongly agree',
    ]);
    const form2 = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    const mismatch = await browser.post(`/questionnaires/${id}/edit`, { ...form2, scalePoints: '4', scaleLabels: 'Never\nSometimes\nOften' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('The scale needs exactly one label per point.');
    expect(mismatch.text).toContain('Never\nSometimes\nOften');
    await browser.post(`/questionnaires/${id}/edit`, { ...form2, scalePoints: '4', scaleLabels: 'Never\nSometimes\nOften\nAlways', naLabel: "Don't know" });
    expect((await definitionOf(id)).scale).toEqual({ points: 4, labels: ['Never', 'Sometimes', 'Often', 'Always'], naLabel: "Don't know" });
  });

  it('re-renders the editor with 422 and keeps every edit when a field is invalid', async () => {
    const id = await copyDefault();
    const before = await definitionOf(id);
    const form = editorFields((await browser.get(`/questionnaires/${id}/edit`)).text);
    const response = await browser.post(`/questionnaires/${id}/edit`, {
      ...form,
      'c.3.name': '',
      'c.0.i.1.text': 'x'.repeat(501),
      'c.1.i.0.text': 'An edit that must survive',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Competency name is required.');
    expect(response.text).toContain('Item text can be at most 500 characters.');
    expect(inputValue(response.text, 'c.1.i.0.text')).toBe('An edit that must survive');
    expect(await definitionOf(id)).toEqual(before);
  });

  it('creates a questionnaire from scratch on a chosen scale', async () => {
    const invalid = await browser.post('/questionnaires', { name: '', description: '', points: '9' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Choose 4, 5, 6 or 7 points.');
    const created = await browser.post('/questionnaires', { name: 'Team lead pulse', description: 'Short', points: '6' });
    expect(created.status).toBe(303);
    const id = created.location!.split('/')[2]!;
    expect(await definitionOf(id)).toMatchObject({ name: 'Team lead pulse', scale: { points: 6 }, competencies: [], openQuestions: [] });
    expect((await browser.get('/questionnaires')).text).toContain('Not ready: It has no competencies yet.');
  });

  it('exports JSON and imports it back as a new questionnaire', async () => {
    const exported = await browser.get('/questionnaires/leadership-360/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename=leadership-360.json');
    const document = JSON.parse(exported.text) as QuestionnaireDefinition & { format: string };
    expect(document.format).toBe('threesixty.questionnaire/v1');
    expect(document.competencies).toEqual(LEADERSHIP_360.competencies);

    const form = new FormData();
    form.set('file', new File([JSON.stringify({ ...document, name: 'Imported 360' })], 'leadership.json', { type: 'application/json' }));
    const imported = await browser.postMultipart('/questionnaires/import', form);
    expect(imported.status).toBe(303);
    const id = imported.location!.split('/')[2]!;
    const definition = await definitionOf(id);
    expect(definition.name).toBe('Imported 360');
    expect(definition.competencies).toEqual(LEADERSHIP_360.competencies);
    expect(definition.scale).toEqual(LEADERSHIP_360.scale);
  });

  it('rejects a bad file naming the field, and imports nothing', async () => {
    const count = async () => (await context.db.selectFrom('questionnaires').select('id').execute()).length;
    const before = await count();
    const broken = structuredClone(LEADERSHIP_360) as unknown as { competencies: Array<{ items: Array<{ text: unknown }> }>; scale: { labels: string[] } };
    broken.competencies[2]!.items[1]!.text = '';
    broken.scale.labels.pop();
    const response = await browser.post('/questionnaires/import', { json: JSON.stringify(broken) });
    expect(response.status).toBe(422);
    expect(response.text).toContain('competencies[2].items[1].text: Item text is required.');
    expect(response.text).toContain('scale.labels: The scale needs exactly one label per point.');

    const notJson = await browser.post('/questionnaires/import', { json: '{"name": ' });
    expect(notJson.status).toBe(422);
    expect(notJson.text).toContain('The file is not valid JSON');
    const nothing = await browser.post('/questionnaires/import', { json: '  ' });
    expect(nothing.status).toBe(422);
    const wrongTypes = await browser.post('/questionnaires/import', { json: JSON.stringify({ name: 42, scale: 'five', competencies: {}, openQuestions: null }) });
    expect(wrongTypes.status).toBe(422);
    expect(wrongTypes.text).toContain('name: Name must be text.');
    expect(await count()).toBe(before);
  });
});
