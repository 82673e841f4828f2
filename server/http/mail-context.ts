import { mailIdentity } from '../branding/branding.service';
import type { MailContext } from '../mail/outbox.service';
import type { AppDeps } from './context';

export function mailContext(deps: AppDeps): MailContext {
  return {
    views: deps.views,
    clock: deps.clock,
    from: deps.mailer.from,
    publicUrl: deps.config.publicUrl,
    deliversEmail: deps.mailer.deliversEmail,
    surveyEmailHoldSeconds: deps.config.surveyEmailHoldSeconds,
    identity: async (db) => mailIdentity((await deps.branding.current(db)).branding, deps.mailer.from, deps.config.publicUrl),
  };
}
