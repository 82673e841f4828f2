import type { Hono } from 'hono';
import type { AppEnv } from '../../server/http/context';

export const TEST_ORIGIN = 'http://localhost:3000';

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/**
 * A browser stand-in for app.request(): keeps cookies, sends the Origin header a browser sends, and
 * adds the CSRF token to every form it posts (unless told not to), so tests read like clicks.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: Hono<AppEnv>) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /max-age=0/i.test(attribute.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const response = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    this.remember(response);
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
    options: { csrf?: boolean | string; origin?: string | null } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    const token = typeof options.csrf === 'string' ? options.csrf : options.csrf === false ? null : await this.csrfToken();
    if (token !== null) body.append('_csrf', token);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
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
