import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('inviting coaches (%s)', (kind) => {
  let context: TestContext;
  let admin: Coach;

  beforeAll(async () => {
    context = await createTestContext(kind);
    admin = await createCoach(context, { isAdmin: true, name: 'Alex Admin', email: 'alex.admin@example.com' });
  });
  afterAll(() => context.close());

  it('emails a single-use link with which the invited coach creates an account and signs in', async () => {
    const browser = await signedInBrowser(context, admin);
    const sent = await browser.post('/coaches/invitations', { email: 'Blake@Example.com' });
    expect(sent.status).toBe(303);
    expect(await deliverOutbox(context)).toEqual({ sent: 1, retried: 0, failed: 0 });

    const [mail] = await readEmlOutbox(context);
    expect(recipientsOf(mail!)).toEqual(['blake@example.com']);
    expect(mail!.subject).toBe('Alex Admin invites you to their 360 feedback platform');
    expect(mail!.replyTo?.text).toBe('alex.admin@example.com');
    expect(mail!.messageId).toMatch(/@localhost>$/);
    expect(mail!.html).toContain('Create your account');
    const link = linkIn(mail!, '/join/');

    const newcomer = context.browser();
    const form = await newcomer.get(link);
    expect(form.status).toBe(200);
    expect(form.text).toContain('blake@example.com');
    expect((await newcomer.post(link, { name: '', password: 'short' })).status).toBe(422);
    const joined = await newcomer.post(link, { name: 'Blake Coach', password: 'a long enough password' });
    expect(joined.status).toBe(303);
    expect((await newcomer.get('/engagements')).text).toContain('Blake Coach');
    const account = await context.db.selectFrom('coaches').selectAll().where('email', '=', 'blake@example.com').executeTakeFirstOrThrow();
    expect(account.is_admin).toBe(0);

    // Single use.
    expect((await context.browser().get(link)).status).toBe(404);
    expect((await context.browser().post(link, { name: 'Again', password: 'a long enough password' })).status).toBe(404);
  });

  it('expires the link after 7 days', async () => {
    const browser = await signedInBrowser(context, admin);
    await browser.post('/coaches/invitations', { email: 'late@example.com' });
    await deliverOutbox(context);
    const mail = (await readEmlOutbox(context)).find((message) => recipientsOf(message).includes('late@example.com'))!;
    const link = linkIn(mail, '/join/');
    context.clock.advanceDays(7);
    context.clock.advanceMinutes(1);
    const expired = await context.browser().get(link);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain('expired after 7 days');
  });

  it('refuses an email that already has an account, with the form kept', async () => {
    const browser = await signedInBrowser(context, admin);
    const response = await browser.post('/coaches/invitations', { email: admin.email });
    expect(response.status).toBe(422);
    expect(response.text).toContain('A coach with this email already has an account.');
  });

  it('lets the administrator withdraw an invitation', async () => {
    const browser = await signedInBrowser(context, admin);
    await browser.post('/coaches/invitations', { email: 'withdrawn@example.com' });
    const invitation = await context.db.selectFrom('coach_invitations').selectAll().where('email', '=', 'withdrawn@example.com').executeTakeFirstOrThrow();
    expect((await browser.post(`/coaches/invitations/${invitation.id}/revoke`)).status).toBe(303);
    expect(await context.db.selectFrom('coach_invitations').selectAll().where('id', '=', invitation.id).executeTakeFirst()).toBeUndefined();
  });

  it('is for the administrator only', async () => {
    const coach = await signedInBrowser(context, await createCoach(context));
    expect((await coach.get('/coaches')).status).toBe(404);
    expect((await coach.post('/coaches/invitations', { email: 'sneaky@example.com' })).status).toBe(404);
    expect(await context.db.selectFrom('coach_invitations').selectAll().where('email', '=', 'sneaky@example.com').executeTakeFirst()).toBeUndefined();
  });
});
