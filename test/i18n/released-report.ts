import type { ParsedMail } from 'mailparser';
import type { Coach } from '../../server/auth/coach';
import type { Language } from '../../server/i18n/languages';
import { closeRound } from '../../server/rounds/rounds.service';
import { mailContext } from '../../server/http/mail-context';
import { releaseReport } from '../../server/reports/reports.service';
import { deliverOutbox, linkIn, passSurveyEmailHold, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createClientEngagement, createRoundWithRaters, launch } from '../helpers/rounds';
import type { TestContext } from '../helpers/test-app';

/**
 * A baseline report released to a client who reads `language`: the client rates 3, the manager 5
 * and three peers 4 on every item, so All others is (5 + 4 + 4 + 4) / 4 = 4.25 everywhere; each
 * peer writes a comment in two languages. Returns the release email and the client's link.
 */
export async function releaseReportIn(context: TestContext, coach: Coach, language: Language, clientEmail: string): Promise<{ mail: ParsedMail; link: string; roundId: string }> {
  const engagement = await createClientEngagement(context, coach, { clientName: 'Jordan Lee', clientEmail });
  await context.db.updateTable('engagements').set({ language }).where('id', '=', engagement.id).execute();
  const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3 }, { engagement, deadlineDay: '2026-12-20' });
  await launch(context, coach, round.id);
  passSurveyEmailHold(context);
  await deliverOutbox(context);
  const mails = await readEmlOutbox(context);
  const linkOf = (email: string) => linkIn(mails.find((mail) => recipientsOf(mail)[0] === email)!, '/s/');
  const rater = (name: string) => `${name}-${round.id.slice(0, 6).toLowerCase()}@example.com`;
  await answerSurvey(context.browser(), linkOf(clientEmail), () => 3);
  await answerSurvey(context.browser(), linkOf(rater('manager-1')), () => 5);
  for (const peer of ['peers-1', 'peers-2', 'peers-3']) await answerSurvey(context.browser(), linkOf(rater(peer)), () => 4, { q1: `${peer}: Hört gut zu. Écoute bien.` });
  await closeRound(context.db, context.clock, coach.id, round.id);
  await releaseReport(context.db, mailContext(context.deps), coach.id, round.id, { note: '', linkDays: context.config.releaseLinkDays });
  await deliverOutbox(context);
  const mail = (await readEmlOutbox(context)).find((candidate) => recipientsOf(candidate)[0] === clientEmail && (candidate.text ?? '').includes('/r/'))!;
  return { mail, link: linkIn(mail, '/r/'), roundId: round.id };
}
