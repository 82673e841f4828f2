import type { Context } from 'hono';
import Negotiator from 'negotiator';
import { isLanguage, LANGUAGES, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import type { AppEnv } from './context';

/**
 * The best of our languages for a browser's Accept-Language: its weights (q), a regional variant
 * for its language (de-CH reads German) and `*`, by negotiator (the negotiation Express uses);
 * English when it names none of them.
 */
export function browserLanguage(acceptLanguage: string | undefined): Language {
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGUAGES]);
  return isLanguage(best) ? best : SOURCE_LANGUAGE;
}

/**
 * The language of a page that has no reader's language of its own (an error page, sign-in): the
 * signed-in coach's; else the rater's or client's whose link this is, once its route has found it;
 * else the browser's.
 */
export function requestLanguage(c: Context<AppEnv>): Language {
  return c.get('coach')?.language ?? c.get('readerLanguage') ?? browserLanguage(c.req.header('accept-language'));
}
