/** A coach's personal API token as the account page lists it (never the token or its hash). */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedOn: string | null;
  revokedAt: string | null;
}
