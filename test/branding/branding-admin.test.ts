import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { readBranding } from '../../server/branding/branding.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { TEST_ORIGIN, inputValue, type TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

const SCRIPTED_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30" onload="alert(1)"><script>alert(document.cookie)</script><rect width="90" height="30" fill="#0f766e"/></svg>';

function upload(browser: TestBrowser, bytes: string | Buffer, name: string, type: string) {
  const form = new FormData();
  form.set('logo', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type }));
  return browser.postMultipart('/branding/logo', form);
}

const SETTINGS = { practiceName: 'Northwind Coaching', accentColour: '#0f766e', senderName: 'Sam at Northwind', replyTo: 'Office@Northwind.example' };

/** The administrator's Practice look page: who may open it, what it refuses, what it stores. */
describe.each(DATABASE_KINDS)('the practice look page (%s)', (kind) => {
  let context: TestContext;
  let admin: Coach;
  let coach: Coach;

  beforeAll(async () => {
    context = await createTestContext(kind);
    admin = await createCoach(context, { isAdmin: true, name: 'Avery Admin' });
    coach = await createCoach(context, { name: 'Casey Coach' });
  });
  afterAll(() => context.close());

  it('answers other coaches as if it did not exist, and sends visitors to sign in', async () => {
    const browser = await signedInBrowser(context, coach);
    expect((await browser.get('/engagements')).text).not.toContain('href="/branding"');
    expect((await browser.get('/branding')).status).toBe(404);
    expect((await browser.post('/branding', SETTINGS)).status).toBe(404);
    expect((await upload(browser, SCRIPTED_SVG, 'logo.svg', 'image/svg+xml')).status).toBe(404);
    expect((await browser.post('/branding/logo/remove')).status).toBe(404);
    expect(await readBranding(context.db)).toMatchObject({ practiceName: null, logo: null, updatedAt: null });

    const visitor = context.browser();
    const page = await visitor.get('/branding');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login?next=%2Fbranding');
    expect((await visitor.post('/branding', SETTINGS)).status).toBe(303);
    expect((await readBranding(context.db)).updatedAt).toBeNull();
  });

  it('refuses a form without this site’s token or origin', async () => {
    const browser = await signedInBrowser(context, admin);
    expect((await browser.post('/branding', SETTINGS, { csrf: false })).status).toBe(403);
    expect((await browser.post('/branding', SETTINGS, { csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await browser.post('/branding', SETTINGS, { origin: 'https://evil.example' })).status).toBe(403);
    const form = new FormData();
    form.set('logo', new File([SCRIPTED_SVG], 'logo.svg', { type: 'image/svg+xml' }));
    expect((await browser.request('/branding/logo', { method: 'POST', body: form, headers: { origin: TEST_ORIGIN } })).status).toBe(403);
    expect((await readBranding(context.db)).updatedAt).toBeNull();
  });

  it('shows each mistake on the form, keeping what was typed', async () => {
    const browser = await signedInBrowser(context, admin);
    const page = await browser.get('/branding');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/branding" aria-current="page">Practice look</a>');
    const wrong = await browser.post('/branding', { practiceName: 'Northwind\nBcc: victim@example.com', accentColour: 'teal', senderName: 'Sam', replyTo: 'not an address' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Practice name must be on one line.');
    expect(wrong.text).toContain('Reply-to address must be a valid email address');
    const colour = await browser.post('/branding', { ...SETTINGS, accentColour: 'teal' });
    expect(colour.status).toBe(422);
    expect(colour.text).toContain('Write the colour as a hex code');
    expect(inputValue(colour.text, 'accentColour')).toBe('teal');
    expect(inputValue(colour.text, 'practiceName')).toBe('Northwind Coaching');
    expect((await readBranding(context.db)).updatedAt).toBeNull();
  });

  it('saves the settings, serves the colours as a stylesheet named by its content, and says when an accent had to be darkened', async () => {
    const browser = await signedInBrowser(context, admin);
    const saved = await browser.post('/branding', { ...SETTINGS, accentColour: '#F5C400' });
    expect(saved.status).toBe(303);
    const page = await browser.get(saved.location!);
    expect(page.text).toContain('#f5c400 is too light for text');
    expect(await readBranding(context.db)).toMatchObject({ practiceName: 'Northwind Coaching', accentColour: '#f5c400', senderName: 'Sam at Northwind', replyTo: 'office@northwind.example' });

    const theme = /<link rel="stylesheet" href="(\/branding\/theme\/[0-9a-f]{16}\.css)">/.exec(page.text)?.[1];
    expect(theme).toBeDefined();
    const css = await context.browser().get(theme!);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect(css.text).toContain('--accent:#f5c400');
    expect(css.text).not.toContain('--brand:#f5c400');
    expect((await context.browser().get('/branding/theme/0123456789abcdef.css')).status).toBe(404);
  });

  it('refuses an upload that is not an image, on the form; keeps of an SVG only a PNG drawn from it; removes the logo', async () => {
    const browser = await signedInBrowser(context, admin);
    const text = await upload(browser, '<html><script>alert(1)</script></html>', 'logo.png', 'image/png');
    expect(text.status).toBe(422);
    expect(text.text).toMatch(/<p class="error-text" id="f-logo-error" role="alert">This file is not a PNG, JPEG, WebP or SVG image/);
    expect(text.text).toContain('aria-invalid="true" aria-describedby="f-logo-error"');
    expect((await upload(browser, Buffer.alloc(600 * 1024, 1), 'big.png', 'image/png')).text).toContain('a logo can be at most 512 KB');

    const uploaded = await upload(browser, SCRIPTED_SVG, 'logo.svg', 'image/svg+xml');
    expect(uploaded.status).toBe(303);
    const page = await browser.get('/branding');
    const [, url, width, height] = /<img src="(\/branding\/logo\/[0-9a-f]{16}\.png)" alt="The current logo" width="(\d+)" height="(\d+)">/.exec(page.text) ?? [];
    expect(url).toBeDefined();
    expect(Number(width) / Number(height)).toBeCloseTo(3, 1);

    const logo = await context.app.request(url!);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(logo.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    const bytes = Buffer.from(await logo.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.toString('latin1')).not.toMatch(/script|onload/);

    expect((await browser.post('/branding/logo/remove')).status).toBe(303);
    expect((await context.app.request(url!)).status).toBe(404);
    expect((await browser.get('/branding')).text).toContain('No logo: pages show the practice name alone.');
  });
});
