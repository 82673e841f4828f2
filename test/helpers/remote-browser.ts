import { randomBytes } from 'node:crypto';
import { CookieJar, formBody, type Page } from './http-client';
import { TEST_PASSWORD } from './test-app';

/**
 * TestBrowser's counterpart for a server reached over real HTTP (a child process): keeps cookies,
 * sends the server's own origin, and adds the CSRF token to every form it posts.
 */
export class RemoteBrowser {
  readonly cookies = new CookieJar();

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}, timeoutMs = 15_000): Promise<Page & { ms: number }> {
    const headers = new Headers(init.headers);
    this.cookies.addTo(headers);
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    this.cookies.remember(response);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, location: response.headers.get('location'), ms: performance.now() - started };
  }

  get(path: string) {
    return this.request(path);
  }

  async csrfToken(): Promise<string> {
    if (!this.cookies.has('csrf')) await this.get('/login');
    return this.cookies.get('csrf')!;
  }

  async post(path: string, fields: Record<string, string | string[]> = {}) {
    const body = formBody(await this.csrfToken(), fields);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.baseUrl } });
  }

  async signIn(email: string, password = TEST_PASSWORD): Promise<this> {
    const response = await this.post('/login', { email, password });
    if (response.status !== 303) throw new Error(`Sign-in failed with ${response.status}: ${response.text.slice(0, 300)}`);
    return this;
  }
}

/**
 * One rater's full, valid submission of the built-in Leadership 360 survey as a browser would post
 * it (double-submit CSRF cookie and field, the server's origin), without reading the page first.
 */
export function surveySubmission(baseUrl: string, surveyPath: string, itemIds: string[], rating: (index: number) => number | 'na' = (index) => (index % 5) + 1): { url: string; init: RequestInit } {
  const token = randomBytes(32).toString('base64url');
  const body = new URLSearchParams({ _csrf: token, intent: 'submit', notice: 'read' });
  itemIds.forEach((id, index) => body.append(`r.${id}`, String(rating(index))));
  return {
    url: `${baseUrl}${surveyPath}`,
    init: { method: 'POST', body, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `csrf=${token}`, origin: baseUrl } },
  };
}

/** Posts a full submission; resolves with the status, or null when no answer came (the server died). */
export async function submitSurveyOverHttp(baseUrl: string, surveyPath: string, itemIds: string[], timeoutMs = 60_000): Promise<number | null> {
  const { url, init } = surveySubmission(baseUrl, surveyPath, itemIds);
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}
