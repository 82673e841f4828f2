/** A coach's account as the rest of the application sees it (never the password hash). */
export interface Coach {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}
