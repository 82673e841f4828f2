import { addDays, dayOf, type Clock } from '../clock';
import type { Db } from '../db/schema';
import type { MailContext } from '../mail/outbox.service';
import { listInvitations } from '../rounds/invitations.repository';
import { remindInvitations } from '../rounds/round-mail';
import { awaitsAnswer } from '../rounds/round-rules';
import { claimReminder, listOpenRounds, listOpenRoundsDueToClose } from '../rounds/rounds.repository';
import { closeAndPublish } from '../rounds/rounds.service';

// The rounds' scheduled work, run every minute by the scheduler on every instance: each step claims
// what it does (a conditional update, a unique reminder row), so two instances never do it twice.

/** Closes every open round whose deadline has passed. */
export async function closeOverdueRounds(db: Db, clock: Clock): Promise<number> {
  const now = clock.now().toISOString();
  let closed = 0;
  for (const round of await listOpenRoundsDueToClose(db, now)) {
    if (await closeAndPublish(db, clock, round)) closed += 1;
  }
  return closed;
}

/**
 * Automatic reminders, `daysBefore` the deadline (e.g. [3, 1]). When several are due at once (the
 * server was down, or the round was launched late) only the most urgent goes out; a reminder
 * whose moment came before the launch is skipped. Nobody is reminded twice on the same day.
 */
export async function sendDueReminders(db: Db, mail: MailContext, daysBefore: number[]): Promise<number> {
  const now = mail.clock.now();
  const today = dayOf(now);
  let sent = 0;
  for (const round of await listOpenRounds(db)) {
    if (round.deadline <= now.toISOString()) continue;
    const due = [...daysBefore]
      .sort((a, b) => a - b)
      .filter((days) => addDays(new Date(round.deadline), -days) <= now);
    for (const [index, days] of due.entries()) {
      const moment = addDays(new Date(round.deadline), -days).toISOString();
      const skip = index > 0 || (round.launchedAt ?? '') > moment;
      await db.transaction().execute(async (trx) => {
        if (!(await claimReminder(trx, round.id, days, now.toISOString(), skip)) || skip) return;
        const invitations = (await listInvitations(trx, round.id)).filter(
          (invitation) => awaitsAnswer(invitation) && invitation.lastRemindedOn !== today && !(invitation.status === 'invited' && invitation.statusOn === today),
        );
        sent += await remindInvitations(trx, mail, round, invitations);
      });
    }
  }
  return sent;
}
