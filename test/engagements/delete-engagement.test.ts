import fs from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { erasePersonalData } from '../../server/privacy/privacy.service';
import { closeRound } from '../../server/rounds/rounds.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createClientEngagement, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

const COMMENT = 'Listens closely, then decides in the room';

/** An engagement with a closed round answered by three peers (one comment), its emails delivered. */
async function answeredEngagement(context: TestContext, coach: Awaited<ReturnType<typeof createCoach>>, clientName: string) {
  const engagement = await createClientEngagement(context, coach, { clientName, clientEmail: `${clientName.split(' ')[0]!.toLowerCase()}@client.example` });
  const { round } = await createRoundWithRaters(context, coach, { peers: 3 }, { engagement });
  await launch(context, coach, round.id);
  await deliverOutbox(context);
  const links = (await readEmlOutbox(context)).filter((mail) => recipientsOf(mail)[0]!.includes(round.id.slice(0, 6).toLowerCase())).map((mail) => linkIn(mail, '/s/'));
  for (const [index, link] of links.entries()) await answerSurvey(context.browser(), link, () => 4, index === 0 ? { q1: `${COMMENT} (${clientName})` } : {});
  await closeRound(context.db, context.clock, coach.id, round.id);
  return { engagement, round };
}

async function rowsOf(context: TestContext, roundId: string) {
  const count = async (table: 'invitations' | 'responses' | 'outbox' | 'rater_groups') =>
    Number((await context.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).executeTakeFirstOrThrow()).n);
  return { invitations: await count('invitations'), responses: await count('responses'), outbox: await count('outbox'), groups: await count('rater_groups') };
}

describe.each(DATABASE_KINDS)('deleting an engagement for good (%s)', (kind) => {
  it('needs the engagement archived and the client\'s name typed, is the owner\'s alone, and leaves nothing of it (not even in the file)', async () => {
    const context = await createTestContext(kind);
    try {
      const coach = await createCoach(context);
      const doomed = await answeredEngagement(context, coach, 'Riley Doomed');
      const kept = await answeredEngagement(context, coach, 'Casey Kept');
      const keptBefore = await rowsOf(context, kept.round.id);
      const browser = await signedInBrowser(context, coach);
      const path = `/engagements/${doomed.engagement.id}`;

      expect((await browser.post(`${path}/delete`, { confirmName: 'Riley Doomed' })).status).toBe(409);
      expect((await browser.get(path)).text).not.toContain('Delete for good');
      expect((await browser.post(`${path}/archive`)).status).toBe(303);
      const archived = await browser.get(path);
      expect(archived.text).toContain('Delete for good');
      expect(archived.text).toContain('will be erased on');

      const wrong = await browser.post(`${path}/delete`, { confirmName: 'Riley' });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Type Riley Doomed to confirm.');
      const intruder = await signedInBrowser(context, await createCoach(context));
      expect((await intruder.post(`${path}/delete`, { confirmName: 'Riley Doomed' })).status).toBe(404);
      expect(await rowsOf(context, doomed.round.id)).toEqual({ invitations: 4, responses: 3, outbox: 4, groups: 5 });

      const deleted = await browser.post(`${path}/delete`, { confirmName: ' riley doomed ' });
      expect(deleted.status).toBe(303);
      expect(deleted.location).toBe('/engagements?archived=1');
      expect((await browser.get(deleted.location!)).text).toContain('The engagement with Riley Doomed was deleted with everything in it.');
      expect((await browser.get(path)).status).toBe(404);
      expect(await rowsOf(context, doomed.round.id)).toEqual({ invitations: 0, responses: 0, outbox: 0, groups: 0 });
      expect(await context.db.selectFrom('rounds').select('id').where('engagement_id', '=', doomed.engagement.id).execute()).toEqual([]);
      expect(await rowsOf(context, kept.round.id)).toEqual(keptBefore);

      if (context.database.location.kind === 'sqlite') {
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(context.db);
        const bytes = fs.readFileSync(context.database.location.file);
        expect(bytes.includes('Riley Doomed')).toBe(false);
        expect(bytes.includes(`${COMMENT} (Riley Doomed)`)).toBe(false);
        expect(bytes.includes(doomed.round.id.slice(0, 6).toLowerCase() + '@example.com')).toBe(false);
        expect(bytes.includes(`${COMMENT} (Casey Kept)`)).toBe(true);
      }
    } finally {
      await context.close();
    }
  });

  it('goes with the client when the administrator erases the client\'s address, emails to raters included', async () => {
    const context = await createTestContext(kind);
    try {
      const admin = await createCoach(context, { isAdmin: true });
      const coach = await createCoach(context);
      const { engagement, round } = await answeredEngagement(context, coach, 'Jamie Erased');
      expect((await rowsOf(context, round.id)).outbox).toBe(4);
      const tally = await erasePersonalData(context.db, admin, engagement.clientEmail);
      expect(tally.engagements).toBe(1);
      expect(await rowsOf(context, round.id)).toEqual({ invitations: 0, responses: 0, outbox: 0, groups: 0 });
      const subjects = await context.db.selectFrom('outbox').select('subject').execute();
      expect(subjects.filter((row) => row.subject.includes('Jamie'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
