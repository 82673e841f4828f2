import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { erasePersonalData } from '../../server/privacy/privacy.service';
import { listInvitations } from '../../server/rounds/invitations.repository';
import { removeRater } from '../../server/rounds/invitations.service';
import { closeRound } from '../../server/rounds/rounds.service';
import type { Round } from '../../server/rounds/rounds.types';
import { newSecretToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, DEPLOYED_SURVEY_EMAIL_HOLD } from '../helpers/mail';
import { launch } from '../helpers/rounds';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { mailsTo, portalEntries, roundsSharingRaters } from './practice';

/** The portal page itself: what it lists, when it stops listing, and what a wrong or dead link answers. */
describe.each(DATABASE_KINDS)('the rater portal page (%s)', (kind) => {
  let context: TestContext;
  let counter = 0;

  beforeAll(async () => {
    context = await createTestContext(kind, { env: DEPLOYED_SURVEY_EMAIL_HOLD });
  });
  afterAll(() => context.close());

  /** Three open rounds of a new coach with the same new peer; returns the peer's portal link (from the .eml the server wrote). */
  async function portalOfNewRater(): Promise<{ coach: Coach; rounds: Round[]; rater: string; link: string }> {
    counter += 1;
    const coach = await createCoach(context, { name: `Coach ${counter}` });
    const rater = `robin.${counter}@northwind.example`;
    const clients = [0, 1, 2].map((index) => ({ clientName: `Client ${counter}-${index}`, clientEmail: `client.${counter}.${index}@northwind.example` }));
    const rounds = await roundsSharingRaters(context, coach, [`${rater},Robin Shaw,peers`], {}, { clients });
    for (const round of rounds) await launch(context, coach, round.id);
    context.clock.advanceMinutes(5);
    await deliverOutbox(context);
    const [mail] = mailsTo(await readEmlOutbox(context), rater);
    return { coach, rounds, rater, link: linkIn(mail!, '/p/') };
  }

  async function expectDeadLink(path: string): Promise<void> {
    const page = await context.browser().get(path);
    expect(page.status).toBe(404);
    expect(page.text).toContain('This link to your surveys does not work');
    expect(page.text).toContain('reply to the email that brought the link');
  }

  it('lists the open surveys without changing any status, and takes closed rounds off the list', async () => {
    const { coach, rounds, rater, link } = await portalOfNewRater();
    const page = await context.browser().get(link);
    expect(portalEntries(page.text).map((entry) => entry.heading)).toEqual([`Feedback for Client ${counter}-0`, `Feedback for Client ${counter}-1`, `Feedback for Client ${counter}-2`]);
    expect(page.text).toContain('<meta name="robots" content="noindex">');
    for (const round of rounds) expect((await listInvitations(context.db, round.id)).find((invitation) => invitation.email === rater)!.status).toBe('invited');

    await closeRound(context.db, context.clock, coach.id, rounds[0]!.id);
    expect(portalEntries((await context.browser().get(link)).text)).toHaveLength(2);
    // Past its deadline, a round the scheduler has not closed yet shows as closed, without a button.
    context.clock.set('2026-03-17T08:00:00.000Z');
    const late = portalEntries((await context.browser().get(link)).text);
    expect(late.map((entry) => [entry.progress, entry.href])).toEqual([
      ['closed', null],
      ['closed', null],
    ]);
    for (const round of rounds.slice(1)) await closeRound(context.db, context.clock, coach.id, round.id);
    const empty = await context.browser().get(link);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Nothing to answer right now');
    context.clock.set('2026-03-02T09:00:00.000Z');
  });

  it('answers a link it never made, or a malformed one, with a 404 page that says what to do', async () => {
    await expectDeadLink(`/p/${newSecretToken().token}`);
    await expectDeadLink('/p/not-a-token');
    const page = await context.browser().get(`/p/${newSecretToken().token}`);
    expect(page.text).not.toContain('This page does not exist, or you do not have access to it.');
  });

  it('stops working when the rater is removed from every round it listed', async () => {
    const { coach, rounds, rater, link } = await portalOfNewRater();
    await removeRater(context.db, coach.id, rounds[0]!.id, (await listInvitations(context.db, rounds[0]!.id)).find((invitation) => invitation.email === rater)!.id);
    expect(portalEntries((await context.browser().get(link)).text)).toHaveLength(2);
    for (const round of rounds.slice(1)) {
      await removeRater(context.db, coach.id, round.id, (await listInvitations(context.db, round.id)).find((invitation) => invitation.email === rater)!.id);
    }
    await expectDeadLink(link);
  });

  it('stops working once the rater\'s personal data is erased', async () => {
    const { link, rater } = await portalOfNewRater();
    const admin = await createCoach(context, { isAdmin: true });
    await erasePersonalData(context.db, admin, rater);
    await expectDeadLink(link);
  });

  it('lists a survey added later for the same person and coach, with its own working link', async () => {
    const { coach, link, rater } = await portalOfNewRater();
    const [extra] = await roundsSharingRaters(context, coach, [`${rater},Robin Shaw,peers`], {}, { clients: [{ clientName: `Client ${counter}-3`, clientEmail: `client.${counter}.3@northwind.example` }] });
    await launch(context, coach, extra!.id);
    const entries = portalEntries((await context.browser().get(link)).text);
    expect(entries).toHaveLength(4);
    const added = entries.find((entry) => entry.heading === `Feedback for Client ${counter}-3`)!;
    expect((await context.browser().get(added.href!)).status).toBe(200);
    // The page hands out the same link each time.
    expect(portalEntries((await context.browser().get(link)).text).find((entry) => entry.heading === added.heading)!.href).toBe(added.href);
  });

  it('counts wrong portal links into the budget of wrong survey and report links, and then refuses the address', async () => {
    // A window of the limit of its own (windows are 10 minutes, counted from the clock).
    context.clock.set('2026-03-04T09:00:00.000Z');
    const guesser = context.browser();
    for (let miss = 0; miss < 29; miss++) expect((await guesser.get(`/p/${newSecretToken().token}`)).status).toBe(404);
    // The 30th miss, on a survey link, spends the budget the portal misses started.
    expect((await guesser.get(`/s/${newSecretToken().token}`)).status).toBe(404);
    expect((await guesser.get(`/s/${newSecretToken().token}`)).status).toBe(429);
    // The portal's own limiter learns the count from its next miss (MissLimiter), then refuses too.
    expect((await guesser.get(`/p/${newSecretToken().token}`)).status).toBe(404);
    expect((await guesser.get(`/p/${newSecretToken().token}`)).status).toBe(429);
  });
});
