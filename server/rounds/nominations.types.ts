/** A rater the client suggested through their nomination link; the coach approves or sets it aside. */
export interface Nomination {
  id: string;
  groupKey: string;
  email: string;
  name: string;
  status: 'proposed' | 'approved' | 'rejected';
}
