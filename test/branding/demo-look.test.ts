import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBranding } from '../../server/branding/branding.service';
import { DEMO_EMAIL, ensureDemoData } from '../../server/demo/demo.service';
import { DEMO_PRACTICE } from '../../server/demo/demo-branding';
import { createTestContext, type TestContext } from '../helpers/test-app';

/** `npm run demo` shows the practice look at once: its coach is an administrator and the installation has a look. */
describe('the demo’s practice look', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext('sqlite');
  });
  afterAll(() => context.close());

  const demoCoach = () => context.db.selectFrom('coaches').select(['id', 'is_admin']).where('email', '=', DEMO_EMAIL).executeTakeFirstOrThrow();

  it('makes the demo coach an administrator and gives the installation a name, an accent and a logo drawn through the upload checks', async () => {
    const result = await ensureDemoData(context.database, context.config, context.clock.now());
    expect(result.coach.isAdmin).toBe(true);
    expect((await demoCoach()).is_admin).toBe(1);
    const look = await readBranding(context.db);
    expect(look).toMatchObject({ practiceName: DEMO_PRACTICE.practiceName, accentColour: DEMO_PRACTICE.accentColour, senderName: DEMO_PRACTICE.senderName, replyTo: null });
    expect(look.logo).toMatchObject({ width: 400, height: 400 });
  }, 120_000);

  it('gives a demo made before this both on its next run, and then changes nothing', async () => {
    await context.db.updateTable('coaches').set({ is_admin: 0 }).where('email', '=', DEMO_EMAIL).execute();
    await context.db.deleteFrom('practice_branding').execute();
    const again = await ensureDemoData(context.database, context.config, context.clock.now());
    expect(again.created).toBe(true);
    expect((await demoCoach()).is_admin).toBe(1);
    expect((await readBranding(context.db)).practiceName).toBe(DEMO_PRACTICE.practiceName);
    expect((await ensureDemoData(context.database, context.config, context.clock.now())).created).toBe(false);
  }, 120_000);

  it('keeps a look an administrator set, even one without a name', async () => {
    await context.db.updateTable('practice_branding').set({ practice_name: null, accent_colour: '#991b1b' }).execute();
    expect((await ensureDemoData(context.database, context.config, context.clock.now())).created).toBe(false);
    expect(await readBranding(context.db)).toMatchObject({ practiceName: null, accentColour: '#991b1b' });
  }, 120_000);
});
