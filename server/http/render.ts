import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context';
import { takeFlash } from './flash';
import type { TemplateData } from '../views';
import { inWordsThroughout } from '../i18n/phrase';
import { isLanguage, SOURCE_LANGUAGE } from '../i18n/languages';

/**
 * Renders a page with what every layout needs (the signed-in coach, the CSRF token for forms, the
 * flash message, the practice's look). Pages add their own data; `title` names the browser tab.
 */
export function render(c: Context<AppEnv>, page: string, data: TemplateData, status: ContentfulStatusCode = 200): Response {
  const deps = c.get('deps');
  const pageData: TemplateData = {
    coach: c.get('coach'),
    csrfToken: c.get('csrfToken'),
    flash: takeFlash(c),
    section: c.req.path.split('/')[1] ?? '',
    branding: c.get('branding') ?? null,
    // The CSP nonce of this response, for the one inline <style> a page may carry (views/partials/print-cover.hbs).
    cspNonce: c.get('secureHeadersNonce'),
    // A signed-in coach's pages are in their account's language; a page for someone else (a
    // client's report, a rater's survey) sets its reader's.
    language: c.get('coach')?.language,
    ...data,
  };
  // Validation messages and errors are phrases until now: the page's language puts them into words.
  const translator = deps.views.translator(isLanguage(pageData.language) ? pageData.language : SOURCE_LANGUAGE);
  const html = deps.views.page(page, inWordsThroughout(pageData, translator), typeof data.layout === 'string' ? data.layout : undefined);
  // Encoded once here: a string body would be measured (Buffer.byteLength) and then encoded again
  // on write, and measuring the long page string took an eighth of a survey page request.
  return c.body(Buffer.from(html), status, { 'Content-Type': 'text/html; charset=UTF-8' });
}
