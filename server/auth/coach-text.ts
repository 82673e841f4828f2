import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { signedInCoach } from '../http/session';
import type { MessageValues } from '../i18n/translator';

/** A message in the signed-in coach's language, for text outside a template (a page title, a flash). */
export function coachText(c: Context<AppEnv>, key: string, values?: MessageValues): string {
  return c.get('deps').views.translator(signedInCoach(c).language).t(key, values);
}
