import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { signedInCoach } from '../http/session';
import type { MessageValues, Translator } from '../i18n/translator';

/** The signed-in coach's translator, for a view-model that phrases several messages and numbers. */
export function coachTranslator(c: Context<AppEnv>): Translator {
  return c.get('deps').views.translator(signedInCoach(c).language);
}

/** A message in the signed-in coach's language, for text outside a template (a page title, a flash). */
export function coachText(c: Context<AppEnv>, key: string, values?: MessageValues): string {
  return coachTranslator(c).t(key, values);
}
