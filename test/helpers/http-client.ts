import type { Hono } from 'hono';
import type { AppEnv } from '../../server/http/context';

export const TEST_ORIGIN = 'http://localhost:3000';

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** Cookies as a browser keeps them: set and expired by Set-Cookie, sent back in one Cookie header. */
export class CookieJar extends Map<string, string> {
  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /max-age=0/i.test(attribute.trim())) || value === '';
      if (expired) this.delete(name);
      else this.set(name, value);
    }
  }

  /** Adds the Cookie header unless the request brings its own. */
  addTo(headers: Headers): void {
    if (this.size && !headers.has('cookie')) headers.set('cookie', [...this].map(([name, value]) => `${name}=${value}`).join('; '));
  }
}

/** A url-encoded form as our pages post it: the CSRF field first (when there is one), then the fields. */
export function formBody(csrfToken: string | null, fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  if (csrfToken !== null) body.append('_csrf', csrfToken);
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return body;
}

/**
 * A browser stand-in for app.request(): keeps cookies, sends the Origin header a browser sends, and
 * adds the CSRF token to every form it posts (unless told not to), so tests read like clicks.
 */
export class TestBrowser {
  readonly cookies = new CookieJar();

  constructor(private readonly app: Hono<AppEnv>) {}

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    this.cookies.addTo(headers);
    const response = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    this.cookies.remember(response);
    return { status: response.status, headers: response.headers, text: await response.text(), location: response.headers.get('location') };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { headers });
  }

  /** Ensures the CSRF cookie exists (as a page visit would) and returns its value. */
  async csrfToken(): Promise<string> {
    if (!this.cookies.has('csrf')) await this.get('/login');
    return this.cookies.get('csrf')!;
  }

  async post(
    path: string,
    fields: Record<string, string | string[]> = {},
    options: { csrf?: boolean | string; origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const token = typeof options.csrf === 'string' ? options.csrf : options.csrf === false ? null : await this.csrfToken();
    const body = formBody(token, fields);
    const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/x-www-form-urlencoded' };
    const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.request(path, { method: 'POST', body, headers });
  }

  async postMultipart(path: string, form: FormData): Promise<Page> {
    form.set('_csrf', await this.csrfToken());
    return this.request(path, { method: 'POST', body: form, headers: { origin: TEST_ORIGIN } });
  }
}

/** The hidden CSRF token of the first form on a page, or any named input's value. */
export function inputValue(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*value="([^"]*)"`).exec(html);
  return match?.[1];
}
