import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/databases';
import { signedInCoachPerSuite } from '../helpers/suite';

describe.each(DATABASE_KINDS)("the coach's account language (%s)", (kind) => {
  const suite = signedInCoachPerSuite(kind);

  it('is English until the coach chooses another, then their menu, flash and account page follow it', async () => {
    const before = await suite.browser.get('/account');
    expect(before.text).toContain('<html lang="en">');
    expect(before.text).toContain('>Sign out</button>');
    expect(before.text).toMatch(/<option value="en" lang="en" selected>English<\/option>/);

    const saved = await suite.browser.post('/account/language', { language: 'de' });
    expect(saved.status).toBe(303);
    const after = await suite.browser.get(saved.location!);
    expect(after.text).toContain('<html lang="de">');
    expect(after.text).toContain('Ihre Seiten sind jetzt auf Deutsch.');
    expect(after.text).toContain('<h1>Ihr Konto</h1>');
    expect(after.text).toContain('<summary>Menü</summary>');
    expect(after.text).toContain('>Coachings</a>');
    expect(after.text).toContain('>Abmelden</button>');
    expect(after.text).not.toContain('>Sign out</button>');
    expect(after.text).toMatch(/<option value="de" lang="de" selected>Deutsch<\/option>/);
    const row = await suite.context.db.selectFrom('coaches').select('language').where('id', '=', suite.coach.id).executeTakeFirstOrThrow();
    expect(row.language).toBe('de');
  });

  it('refuses a language that is not one of the five and keeps the one set', async () => {
    const refused = await suite.browser.post('/account/language', { language: 'tlh' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="f-language-error"');
    const row = await suite.context.db.selectFrom('coaches').select('language').where('id', '=', suite.coach.id).executeTakeFirstOrThrow();
    expect(row.language).toBe('de');
  });
});
