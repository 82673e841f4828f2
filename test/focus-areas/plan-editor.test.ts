import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoData } from '../../server/demo/demo.service';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/** The plan editor saves every goal and action of the plan with one button, all or nothing. */
describe.each(DATABASE_KINDS)('the development plan editor (%s)', (kind) => {
  let context: TestContext;
  let browser: TestBrowser;
  let engagementId: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    await ensureDemoData(context.database, context.config, context.clock.now());
    browser = context.browser();
    expect((await browser.post('/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD })).status).toBe(303);
    engagementId = (await context.db.selectFrom('engagements').select('id').where('client_name', '=', 'Alex Morgan').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => context.close());

  const plan = async () => {
    const focus = await context.db.selectFrom('focus_areas').select(['id', 'goal']).where('engagement_id', '=', engagementId).orderBy('position').execute();
    const actions = await context.db.selectFrom('action_steps').select(['id', 'focus_area_id', 'description', 'due_on', 'status']).orderBy('position').execute();
    return { focus, actions: actions.filter((action) => focus.some((area) => area.id === action.focus_area_id)) };
  };

  it('has one Save for the whole plan, with every action and goal in its form', async () => {
    const page = await browser.get(`/engagements/${engagementId}/plan`);
    expect(page.status).toBe(200);
    const { focus, actions } = await plan();
    expect(focus.length).toBeGreaterThan(1);
    expect(page.text.match(/>Save plan</g)).toHaveLength(1);
    expect(page.text).not.toMatch(/>Save(<span|<\/button>)/);
    expect(page.text).not.toContain('Save goal');
    for (const area of focus) expect(page.text).toContain(`name="goal.${area.id}" form="plan-form"`);
    for (const action of actions) {
      for (const field of ['description', 'dueOn', 'status']) expect(page.text).toContain(`name="${field}.${action.id}" form="plan-form"`);
    }
  });

  it('saves the goals and actions of several focus areas at once', async () => {
    const { focus, actions } = await plan();
    const [first, second] = actions.filter((action, index, all) => all.findIndex((other) => other.focus_area_id === action.focus_area_id) === index);
    const saved = await browser.post(`/engagements/${engagementId}/plan`, {
      [`goal.${focus[0]!.id}`]: 'People say they were heard before we decided.',
      [`goal.${focus[1]!.id}`]: 'Feedback after every leadership meeting.',
      [`description.${first!.id}`]: 'Summarise what I heard, then give my view',
      [`dueOn.${first!.id}`]: '2027-01-15',
      [`status.${first!.id}`]: 'in-progress',
      [`description.${second!.id}`]: 'Ask two people for feedback each month',
      [`dueOn.${second!.id}`]: '',
      [`status.${second!.id}`]: 'done',
    });
    expect(saved.status).toBe(303);
    const after = await plan();
    expect(after.focus.map((area) => area.goal)).toEqual(['People say they were heard before we decided.', 'Feedback after every leadership meeting.']);
    expect(after.actions.find((action) => action.id === first!.id)).toMatchObject({ description: 'Summarise what I heard, then give my view', due_on: '2027-01-15', status: 'in-progress' });
    expect(after.actions.find((action) => action.id === second!.id)).toMatchObject({ description: 'Ask two people for feedback each month', due_on: null, status: 'done' });
    // Actions the form did not hold are left as they were.
    for (const action of actions.filter((candidate) => candidate.id !== first!.id && candidate.id !== second!.id)) {
      expect(after.actions.find((other) => other.id === action.id)).toEqual(action);
    }
  });

  it('saves nothing when a field is wrong, and shows each message beside its field with the input kept', async () => {
    const before = await plan();
    const [action] = before.actions;
    const response = await browser.post(`/engagements/${engagementId}/plan`, {
      [`goal.${before.focus[0]!.id}`]: 'A goal typed but not saved',
      [`description.${action!.id}`]: '',
      [`dueOn.${action!.id}`]: '31/12/2027',
      [`status.${action!.id}`]: 'planned',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain(`id="a-${action!.id}-d-error">Action is required.`);
    expect(response.text).toContain(`id="a-${action!.id}-due-error">Due date must be a date (YYYY-MM-DD).`);
    expect(response.text).toContain(`aria-describedby="a-${action!.id}-due-error"`);
    expect(response.text).toContain('>A goal typed but not saved</textarea>');
    expect(response.text).toContain(`value="31/12/2027"`);
    expect(await plan()).toEqual(before);
  });

  it('answers 404 to another coach, and changes nothing', async () => {
    const before = await plan();
    const other = await signedInBrowser(context, await createCoach(context, { name: 'Other Coach' }));
    const response = await other.post(`/engagements/${engagementId}/plan`, { [`goal.${before.focus[0]!.id}`]: 'Not yours' });
    expect(response.status).toBe(404);
    expect(await plan()).toEqual(before);
  });
});
