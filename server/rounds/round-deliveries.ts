import { z } from 'zod';
import type { Db } from '../db/schema';
import type { PageRequest, Page } from '../lists';
import type { DeliveryStateFilter } from '../mail/outbox.repository';
import { invitationDeliveries, roundDeliveriesPage, type InvitationDelivery, type MessageDelivery } from '../mail/outbox.service';
import { listInvitationsPage } from './invitations.repository';
import { getRound } from './rounds.service';
import type { Invitation } from './rounds.types';

// The delivery of a round's emails as the API lists them (the round page reads the same through
// round-page.ts): each rater with their latest email, and the round's emails by state.

/** A cursor's position in a round's raters: the invitation's `position`. */
export const INVITATION_POSITION = z.tuple([z.number().int()]);
/** A cursor's position in a round's emails: creation instant and id. */
export const EMAIL_POSITION = z.tuple([z.string(), z.string()]);

export async function roundInvitationsPage(db: Db, coachId: string, roundId: string, page: PageRequest<[number]>): Promise<Page<{ invitation: Invitation; delivery: InvitationDelivery | undefined }>> {
  const round = await getRound(db, coachId, roundId);
  const found = await listInvitationsPage(db, round.id, page);
  const deliveries = await invitationDeliveries(db, round.id, found.items.map((invitation) => invitation.id));
  return { items: found.items.map((invitation) => ({ invitation, delivery: deliveries.get(invitation.id) })), next: found.next };
}

export async function roundEmailsPage(db: Db, coachId: string, roundId: string, state: DeliveryStateFilter | null, page: PageRequest<[string, string]>): Promise<Page<MessageDelivery>> {
  const round = await getRound(db, coachId, roundId);
  return roundDeliveriesPage(db, round.id, state, page);
}
