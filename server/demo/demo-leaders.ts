import { addDays, dayOf, type Clock } from '../clock';
import type { Db } from '../db/schema';
import { createEngagement, setEngagementArchived } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.types';
import { deleteUnsentRoundMessages } from '../mail/outbox.repository';
import type { MailContext } from '../mail/outbox.service';
import { releaseReport } from '../reports/reports.service';
import { addRaterList } from '../rounds/invitations.service';
import { DEFAULT_GROUPS } from '../rounds/round-settings';
import { closeRound, createRound, launchRound } from '../rounds/rounds.service';
import type { Round } from '../rounds/rounds.types';
import type { Answers } from '../survey/survey.repository';
import { answerEveryInvitation } from './demo-rounds';

/** A leader to assess: who they are, how many raters per group, and what each rater answers. */
export interface LeaderToAssess {
  clientName: string;
  clientEmail: string;
  organisation: string;
  role: string;
  questionnaireId: string;
  /** Raters per group key besides the client (who answers as `self`), e.g. { manager: 1, peers: 3 }. */
  raters: Record<string, number>;
  answersFor: (groupKey: string, index: number) => Answers;
  /** Release the report to the client once the round is closed. */
  release?: boolean;
  /** Archive the engagement afterwards (a past client). */
  archived?: boolean;
}

/**
 * A leader taken through a baseline 360 with the services the app uses: the engagement, the round
 * and its raters, the launch, every rater's answers, the close (which publishes version 1) and,
 * when asked, the release. For the demo, and for tests that need many assessed leaders.
 */
export async function assessLeader(db: Db, mail: MailContext & { clock: Clock }, coachId: string, leader: LeaderToAssess, onEachAnswer?: () => void): Promise<{ engagement: Engagement; round: Round }> {
  const clock = mail.clock;
  const engagement = await createEngagement(db, clock, coachId, {
    clientName: leader.clientName,
    clientEmail: leader.clientEmail,
    organisation: leader.organisation,
    role: leader.role,
    startDate: dayOf(clock.now()),
    notes: '',
    stage: 'assessment',
  });
  const round = await createRound(db, clock, coachId, engagement.id, {
    questionnaireId: leader.questionnaireId,
    purpose: 'baseline',
    deadlineDay: dayOf(addDays(clock.now(), 14)),
    message: '',
    k: 3,
    tau: null,
    groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
  });
  const handle = leader.clientEmail.split('@')[0]!.replace(/[^a-z0-9]+/gi, '.');
  const lines = Object.entries(leader.raters).flatMap(([group, count]) =>
    Array.from({ length: count }, (_, index) => `${group}-${index + 1}.for.${handle}@example.com,${group} rater ${index + 1},${group}`),
  );
  if (lines.length) {
    const added = await addRaterList(db, mail, coachId, round.id, lines.join('\n'));
    if (added.errors.length) throw new Error(`Raters of ${leader.clientName}: ${added.errors.map((error) => error.message).join('; ')}`);
  }
  await launchRound(db, mail, coachId, round.id);
  await answerEveryInvitation(db, mail, round.id, leader.answersFor, onEachAnswer);
  const closed = await closeRound(db, clock, coachId, round.id);
  if (leader.release) {
    await releaseReport(db, mail, coachId, round.id, { note: '', linkDays: 90 });
    await deleteUnsentRoundMessages(db, round.id);
  }
  if (leader.archived) await setEngagementArchived(db, clock, coachId, engagement.id, true);
  return { engagement, round: closed };
}
