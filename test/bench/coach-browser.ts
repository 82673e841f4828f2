/** A fixed CSRF value: the server only checks that the form field equals the cookie and looks like a token. */
export const BENCH_CSRF = 'benchbenchbenchbenchbenchbenchbenchbench123';

/**
 * A minimal signed-in browser over fetch: keeps the cookies the server sets (`sid`, the rotated
 * `csrf`) and sends the Origin header and CSRF field every form post needs.
 */
export class CoachBrowser {
  private readonly cookies = new Map<string, string>([['csrf', BENCH_CSRF]]);

  constructor(private readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value) this.cookies.set(name.trim(), value.trim());
      else this.cookies.delete(name.trim());
    }
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keepCookies(response);
    return { status: response.status, body: await response.text() };
  }

  async post(path: string, fields: Record<string, string>): Promise<{ status: number; body: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), origin: this.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: this.cookies.get('csrf') ?? '' }).toString(),
      redirect: 'manual',
    });
    this.keepCookies(response);
    return { status: response.status, body: await response.text() };
  }

  async signIn(email: string, password: string): Promise<void> {
    const response = await this.post('/login', { email, password });
    if (response.status !== 303 || !this.cookies.has('sid')) throw new Error(`Sign-in failed with ${response.status}: ${response.body.slice(0, 200)}`);
  }
}
