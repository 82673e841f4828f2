import type { Language } from '../i18n/languages';

/** A coach's account as the rest of the application sees it (never the password hash). */
export interface Coach {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
  /** The language of the coach's own pages, and the default of their new engagements. */
  language: Language;
}
