import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, passSurveyEmailHold, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createSmtpTestContext, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, signedInBrowser, type TestContext } from '../helpers/test-app';

const PRACTICE = { practiceName: 'Northwind & Partners Coaching', accentColour: '#0f766e', senderName: 'Sam at Northwind', replyTo: 'office@northwind.example' };
const ESCAPED_NAME = 'Northwind &amp; Partners Coaching';

/** The practice's look where raters and clients see it: their pages and the emails that reach them over SMTP. */
describe.each(DATABASE_KINDS)('the practice look on rater pages and emails (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let close: () => Promise<void>;
  let admin: Coach;
  let logoUrl: string;

  beforeAll(async () => {
    ({ smtp, context, close } = await createSmtpTestContext(kind));
    admin = await createCoach(context, { isAdmin: true, name: 'Avery Admin', email: 'avery@northwind.example' });
  });
  afterAll(() => close());

  it('shows the built-in look until an administrator sets one', async () => {
    const signIn = await context.browser().get('/login');
    expect(signIn.text).toContain('<span class="brand-name">Threesixty</span>');
    expect(signIn.text).not.toContain('/branding/');
  });

  it('puts the name, logo and colours on sign-in, error, survey, decline and thank-you pages', async () => {
    const browser = await signedInBrowser(context, admin);
    expect((await browser.post('/branding', PRACTICE)).status).toBe(303);
    const form = new FormData();
    const png = await sharp({ create: { width: 300, height: 100, channels: 4, background: '#0f766e' } }).png().toBuffer();
    form.set('logo', new File([new Uint8Array(png)], 'logo.png', { type: 'image/png' }));
    expect((await browser.postMultipart('/branding/logo', form)).status).toBe(303);
    logoUrl = /src="(\/branding\/logo\/[0-9a-f]{16}\.png)"/.exec((await browser.get('/branding')).text)![1]!;

    const visitor = context.browser();
    for (const path of ['/login', '/no-such-page']) {
      const page = await visitor.get(path);
      expect(page.text, path).toContain(`<span class="brand-name">${ESCAPED_NAME}</span>`);
      expect(page.text, path).toContain(`<img src="${logoUrl}" alt="" width="300" height="100">`);
      expect(page.text, path).toMatch(/<link rel="stylesheet" href="\/branding\/theme\/[0-9a-f]{16}\.css">/);
      expect(page.text, path).toContain(`<title>${path === '/login' ? 'Sign in' : 'Page not found'} · ${ESCAPED_NAME}</title>`);
    }

    const { round } = await createRoundWithRaters(context, admin, { manager: 1, peers: 3 });
    await launch(context, admin, round.id);
    passSurveyEmailHold(context);
    await deliverOutbox(context);
    await smtp.waitFor(5);
    const peer = smtp.messages.find((mail) => recipientsOf(mail)[0]!.startsWith('peers-1-'))!;
    const survey = linkIn(peer, '/s/');
    const rater = context.browser();
    const pages = [await rater.get(survey), await rater.get(`${survey}/decline`), await answerSurvey(rater, survey)];
    expect(pages[2]!.text).toContain('Thank you');
    for (const page of pages) {
      expect(page.text).toContain(`<header class="practice-header">`);
      expect(page.text).toContain(`<img src="${logoUrl}" alt="" width="300" height="100"><span class="practice-name">${ESCAPED_NAME}</span>`);
      expect(page.text).toMatch(/<link rel="stylesheet" href="\/branding\/theme\/[0-9a-f]{16}\.css">/);
    }
  });

  it('sends emails from the sender name at MAIL_FROM’s address, with the practice’s reply-to, logo, colour and name', async () => {
    const invitation = smtp.messages.find((mail) => recipientsOf(mail)[0]!.startsWith('peers-2-')) as ParsedMail;
    const configured = /<([^>]+)>/.exec(context.config.mailFrom)![1];
    expect(invitation.from!.value).toEqual([{ name: 'Sam at Northwind', address: configured }]);
    expect(invitation.replyTo!.value.map((address) => address.address)).toEqual(['office@northwind.example']);

    const html = invitation.html as string;
    const absoluteLogo = new URL(logoUrl, context.config.publicUrl).href;
    // 48 pixels high in the email, the width in proportion.
    expect(html).toContain(`<img src="${absoluteLogo}" width="144" height="48" alt="${ESCAPED_NAME}"`);
    expect(html).toContain('border-top:4px solid #0f766e;');
    expect(html).toContain('background:#0f766e;"><a href=');
    expect(html).toContain(`because of a coaching engagement with ${ESCAPED_NAME}.`);
    expect(invitation.text).toContain(`--\nYou received this message because of a coaching engagement with ${PRACTICE.practiceName}. It was sent once, for this purpose only.`);

    // The logo an email points to is there for a mail client on another origin.
    const logo = await context.app.request(new URL(absoluteLogo).pathname);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });
});
