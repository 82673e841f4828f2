/** An invitation to create a coach account, sent by the administrator (its link is stored hashed). */
export interface CoachInvitation {
  id: string;
  email: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}
