import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context';
import { takeFlash } from './flash';
import type { TemplateData } from '../views';
import { inWordsThroughout } from '../i18n/phrase';
import { isLanguage, SOURCE_LANGUAGE } from '../i18n/languages';

/**
 * What every layout needs (the signed-in coach, the CSRF token for forms, the flash message, the
 * practice's look) with the page's own data over it; `title` names the browser tab.
 */
export function pageData(c: Context<AppEnv>, data: TemplateData): TemplateData {
  return {
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
}

/** Validation messages and errors are phrases until a page is rendered: its language puts them into words. */
export function inPageWords(c: Context<AppEnv>, data: TemplateData): TemplateData {
  return inWordsThroughout(data, c.get('deps').views.translator(isLanguage(data.language) ? data.language : SOURCE_LANGUAGE));
}

/** The page `page` for data from pageData (its layout named by `layout`, the main one by default). */
export function pageHtml(c: Context<AppEnv>, page: string, data: TemplateData): string {
  return c.get('deps').views.page(page, inPageWords(c, data), typeof data.layout === 'string' ? data.layout : undefined);
}

/** An HTML response. A string body is encoded once here: it would be measured (Buffer.byteLength) and then encoded again on write. */
export function htmlResponse(c: Context<AppEnv>, html: string | Buffer<ArrayBuffer>, status: ContentfulStatusCode = 200): Response {
  const body = typeof html === 'string' ? Buffer.from(html) : html;
  return c.body(body, status, { 'Content-Type': 'text/html; charset=UTF-8' });
}

/** Renders a page with what every layout needs (see pageData). */
export function render(c: Context<AppEnv>, page: string, data: TemplateData, status: ContentfulStatusCode = 200): Response {
  return htmlResponse(c, pageHtml(c, page, pageData(c, data)), status);
}
