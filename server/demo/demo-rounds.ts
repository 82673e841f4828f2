import type { Db } from '../db/schema';
import { deleteUnsentRoundMessages, listRoundMessages } from '../mail/outbox.repository';
import type { MailContext } from '../mail/outbox.service';
import type { Answers } from '../survey/survey.repository';
import { LaunchedRounds } from '../survey/launched-rounds';
import { findSurvey, submitSurvey } from '../survey/survey.service';

/**
 * Every invitation of a launched round answers through the survey service, as raters following
 * their emailed links would, in a fixed order (by address) so that seeded answers always land alike;
 * then the round's unsent emails are dropped (the raters are fictional). `beforeEach` runs before
 * each answer (the demo moves its clock on).
 */
export async function answerEveryInvitation(
  db: Db,
  mail: MailContext,
  roundId: string,
  answersFor: (groupKey: string, index: number) => Answers,
  beforeEach: () => void = () => {},
): Promise<void> {
  const perGroup: Record<string, number> = {};
  const launchedRounds = new LaunchedRounds();
  const messages = (await listRoundMessages(db, roundId)).filter((message) => message.actionUrl && message.invitationId).sort((a, b) => a.recipient.localeCompare(b.recipient));
  for (const message of messages) {
    beforeEach();
    const survey = await findSurvey(db, mail.clock, message.actionUrl!.split('/').pop()!, launchedRounds);
    const index = perGroup[survey.group.key] ?? 0;
    perGroup[survey.group.key] = index + 1;
    await submitSurvey(db, mail, survey, answersFor(survey.group.key, index), 0);
  }
  await deleteUnsentRoundMessages(db, roundId);
}
