import type { Context } from 'hono';
import { LRUCache } from 'lru-cache';
import type { AppEnv } from './context';
import { htmlResponse, inPageWords, pageData, pageHtml } from './render';
import { escapeHtml, type TemplateData } from '../views';

/** The values of a page that are its request's own; everything else in its data is shared. */
export type OwnValues = Record<string, string>;

interface SharedPage {
  /** The page's bytes between its own values. */
  parts: Buffer[];
  /** Which own value goes after each part but the last. */
  holes: string[];
}

// A hole is a value no data can hold (it starts with a NUL) and that no escaping changes.
const HOLE_START = '\u0000own:';
const HOLE_END = '\u0000';
const HOLES = /\u0000own:([A-Za-z]+)\u0000/;

/** The per-request values every page has: the CSRF token of the browser and the CSP nonce of the response. */
const REQUEST_OWN = ['csrfToken', 'cspNonce'] as const;

/**
 * Pages that many requests share word for word but for a few values of their own: a survey as
 * each rater of a group first opens it is the same page for all of them, in one language, but for
 * their link and their browser's CSRF token. Such a page is rendered once with a hole for each own
 * value and kept as bytes; a request fills the holes, escaped as the template would have escaped
 * them, and costs a lookup and a copy instead of a render (in process, a survey page took about
 * 370 µs a request this way against 560 rendered each time).
 *
 * The key is the page's whole data, as JSON, beside the page's name: whatever shapes the page
 * (a new deadline, the practice's look, a warning that now applies) is in it, so a changed input
 * is a new page, never an old page shown again. `derived` is data rendered only on a miss (the
 * questions of a survey), and its `key` must name everything it depends on. Pages with a flash
 * message are rendered each time: that message is one reader's.
 *
 * Kept pages are bounded in bytes, least recently used first out.
 */
export class SharedPages {
  private readonly pages: LRUCache<string, SharedPage>;

  constructor(maxBytes = 8 * 1024 * 1024) {
    this.pages = new LRUCache({ maxSize: maxBytes, sizeCalculation: (page, key) => key.length + page.parts.reduce((sum, part) => sum + part.length, 0) });
  }

  respond(c: Context<AppEnv>, page: string, data: TemplateData, own: OwnValues = {}, derived?: { key: string; data: () => TemplateData }): Response {
    const full = pageData(c, data);
    if (full.flash) return htmlResponse(c, pageHtml(c, page, { ...full, ...own, ...derived?.data() }));
    const values: OwnValues = { ...own };
    // Only those this request has: a hole where the data had nothing would be a value to {{#if}}.
    for (const name of REQUEST_OWN) if (typeof full[name] === 'string' && full[name]) values[name] = full[name];
    // In words first: two phrases with the same English can have different French.
    const holed: TemplateData = inPageWords(c, { ...full });
    for (const name of Object.keys(values)) holed[name] = `${HOLE_START}${name}${HOLE_END}`;
    const key = `${page}\u0000${derived?.key ?? ''}\u0000${JSON.stringify(holed)}`;
    let shared = this.pages.get(key);
    if (!shared) {
      shared = holedPage(pageHtml(c, page, { ...holed, ...derived?.data() }));
      this.pages.set(key, shared);
    }
    return htmlResponse(c, filled(shared, values));
  }
}

function holedPage(html: string): SharedPage {
  const pieces = html.split(HOLES);
  return {
    parts: pieces.filter((_, index) => index % 2 === 0).map((piece) => Buffer.from(piece)),
    holes: pieces.filter((_, index) => index % 2 === 1),
  };
}

function filled(page: SharedPage, values: OwnValues): Buffer<ArrayBuffer> {
  const chunks: Buffer[] = [page.parts[0]!];
  page.holes.forEach((hole, index) => {
    chunks.push(Buffer.from(escapeHtml(values[hole] ?? '')), page.parts[index + 1]!);
  });
  const body = Buffer.allocUnsafe(chunks.reduce((length, chunk) => length + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(body, offset);
  return body;
}
