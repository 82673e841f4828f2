import type { Clock } from '../clock';
import type { Config } from '../config';
import type { DatabaseKind } from '../db/connect';
import type { Db } from '../db/schema';
import type { Logger } from '../logger';
import type { Mailer } from '../mail/mailer';
import type { OutboxSignal } from '../mail/outbox-signal';
import type { Views } from '../views';
import type { Coach } from '../auth/coach';
import type { Language } from '../i18n/languages';
import type { BrandingCache, PageBranding } from '../branding/branding.service';

/** Everything the application needs from the outside world; tests build their own. */
export interface AppDeps {
  db: Db;
  dbKind: DatabaseKind;
  config: Config;
  clock: Clock;
  views: Views;
  mailer: Mailer;
  outbox: OutboxSignal;
  logger: Logger;
  /** The practice's look, read once every few seconds (server/branding). */
  branding: BrandingCache;
}

export interface Flash {
  kind: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    coach: Coach | null;
    sessionToken: string | null;
    csrfToken: string;
    flash: Flash | null;
    clientIp: string;
    /** Set for browser requests by loadBranding: what every layout shows of the practice. */
    branding: PageBranding | null;
    /** Set by a rater's or client's link once it is found: the language its error pages are in. */
    readerLanguage: Language | undefined;
  };
};
