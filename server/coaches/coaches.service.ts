import type { Coach } from '../auth/coach';
import type { Db } from '../db/schema';
import { findCoachById, findCoachCredentials, listCoaches } from '../auth/auth.repository';
import { createCoachAccount } from '../auth/auth.service';
import { addDays, type Clock } from '../clock';
import { ForbiddenError, InvalidError, NotFoundError, phrasedFields } from '../errors';
import { SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import { Phrase } from '../i18n/phrase';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import { hashToken, isWellFormedToken, newId, newSecretToken } from '../secrets';
import { coachInvitationEmail } from './coach-emails';
import * as repo from './coaches.repository';
import type { CoachInvitation } from './coaches.types';

export const INVITATION_DAYS = 7;

function assertAdmin(coach: Coach): void {
  if (!coach.isAdmin) throw new NotFoundError();
}

export async function listCoachesAndInvitations(db: Db, clock: Clock, admin: Coach): Promise<{ coaches: Coach[]; invitations: CoachInvitation[] }> {
  assertAdmin(admin);
  return { coaches: await listCoaches(db), invitations: await repo.listOpenInvitations(db, clock.now().toISOString()) };
}

/** The administrator invites a coach: a single-use link, valid 7 days, sent through the outbox. */
export async function inviteCoach(db: Db, mail: MailContext, admin: Coach, email: string): Promise<CoachInvitation> {
  assertAdmin(admin);
  if (await findCoachCredentials(db, email)) {
    throw new InvalidError(new Phrase('error.coaches.hasAccount'), phrasedFields({ email: new Phrase('error.coaches.hasAccountHint') }));
  }
  const now = mail.clock.now();
  const { token, hash } = newSecretToken();
  const invitation: CoachInvitation = {
    id: newId(),
    email,
    invitedBy: admin.id,
    createdAt: now.toISOString(),
    expiresAt: addDays(now, INVITATION_DAYS).toISOString(),
  };
  const link = `${mail.publicUrl}/join/${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.insertCoachInvitation(trx, { ...invitation, tokenHash: hash });
    await queueEmail(trx, mail, coachInvitationEmail(admin, email, link, invitation.expiresAt, mail.views.translator(admin.language)));
  });
  return invitation;
}

export async function revokeCoachInvitation(db: Db, admin: Coach, id: string): Promise<void> {
  assertAdmin(admin);
  if (!(await repo.deleteCoachInvitation(db, id))) throw new NotFoundError();
}

/** Housekeeping: forgets invitations that expired unaccepted, and the address they were sent to. */
export function deleteExpiredInvitations(db: Db, clock: Clock): Promise<number> {
  return repo.deleteExpiredInvitations(db, clock.now().toISOString());
}

export async function findInvitationForToken(db: Db, clock: Clock, token: string): Promise<CoachInvitation> {
  const invitation = isWellFormedToken(token)
    ? await repo.findOpenInvitationByToken(db, hashToken(token), clock.now().toISOString())
    : undefined;
  if (!invitation) throw new NotFoundError(new Phrase('error.coaches.invitationInvalid'));
  return invitation;
}

/** Creates the invited coach's account; the link stops working in the same transaction. */
/** The language an invitation is read in before its coach has an account: that of the administrator who sent it, as the email was. */
export async function invitationLanguage(db: Db, invitation: CoachInvitation): Promise<Language> {
  return (await findCoachById(db, invitation.invitedBy))?.language ?? SOURCE_LANGUAGE;
}

export async function acceptCoachInvitation(db: Db, clock: Clock, token: string, account: { name: string; password: string }): Promise<Coach> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findInvitationForToken(trx, clock, token);
    if (!(await repo.markInvitationAccepted(trx, invitation.id, clock.now().toISOString()))) {
      throw new ForbiddenError(new Phrase('error.coaches.invitationJustUsed'));
    }
    return createCoachAccount(trx, clock, { email: invitation.email, name: account.name, password: account.password, isAdmin: false });
  });
}
