import { findCoachById } from '../auth/auth.repository';
import { dayOf } from '../clock';
import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import type { MailContext } from '../mail/outbox.service';
import { queueSurveyEmailsTogether } from '../portal/portal.service';
import { newSecretToken } from '../secrets';
import { insertInvitationTokens, listInvitations, markInvitationsInvited, markInvitationsReminded } from './invitations.repository';
import { surveyEmail, type InvitationEmailKind, type RoundEmailContext } from './round-emails';
import { listRoundGroups } from './rounds.repository';
import type { Invitation, Round } from './rounds.types';

// Queuing a round's emails in the caller's transaction (the outbox sends them): who they are
// from and about, and a fresh link in each. Their wording is in round-emails.ts.

export async function emailContext(db: Db, round: Round): Promise<RoundEmailContext> {
  const [coach, engagement, groups] = await Promise.all([findCoachById(db, round.coachId), getEngagement(db, round.coachId, round.engagementId), listRoundGroups(db, round.id)]);
  return { round, groups, clientName: engagement.clientName, coach: { name: coach?.name ?? '', email: coach?.email ?? '' } };
}

/**
 * Queues survey emails, each with a fresh link. Only hashes of links are stored, so every message
 * gets its own token; earlier links keep working. They wait a few minutes in the outbox, and a
 * rater who owes the coach other surveys gets one email listing them all (portal.service.ts).
 * Returns the invitations (of any of the coach's rounds) listed in such combined emails.
 */
async function queueSurveyEmails(db: Db, mail: MailContext, round: Round, invitations: Invitation[], kind: InvitationEmailKind): Promise<string[]> {
  if (invitations.length === 0) return [];
  const context = await emailContext(db, round);
  const tokens = invitations.map((invitation) => ({ invitation, ...newSecretToken() }));
  await insertInvitationTokens(db, tokens.map(({ invitation, hash }) => ({ invitationId: invitation.id, tokenHash: hash })));
  const emails = tokens.map(({ invitation, token }) => ({ invitation, email: surveyEmail(mail, context, invitation, kind, token) }));
  return queueSurveyEmailsTogether(db, mail, { id: round.coachId, ...context.coach }, emails);
}

/** Sends the invitation of every pending rater of an open round, in the caller's transaction. */
export async function invitePending(db: Db, mail: MailContext, round: Round): Promise<number> {
  const pending = (await listInvitations(db, round.id)).filter((invitation) => invitation.status === 'pending');
  await queueSurveyEmails(db, mail, round, pending, 'invitation');
  await markInvitationsInvited(db, pending.map((invitation) => invitation.id), dayOf(mail.clock.now()));
  return pending.length;
}

/**
 * Reminds these raters (a new link each), in the caller's transaction. A combined reminder lists
 * what the rater owes the coach in other rounds too, and counts as their reminder there today: one
 * reminder a day per person and coach.
 */
export async function remindInvitations(db: Db, mail: MailContext, round: Round, invitations: Invitation[]): Promise<number> {
  const listed = await queueSurveyEmails(db, mail, round, invitations, 'reminder');
  await markInvitationsReminded(db, [...new Set([...invitations.map((invitation) => invitation.id), ...listed])], dayOf(mail.clock.now()));
  return invitations.length;
}
