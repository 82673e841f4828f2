import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { Coach } from '../../server/auth/coach';
import type { Language } from '../../server/i18n/languages';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { releaseReportIn } from './released-report';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * A released report read by a client in French and in German: the report, the email that brings
 * it (subject included), days and decimals as the language writes them, the questionnaire's texts
 * in that language, and the comments exactly as written, never marked with a language.
 */
const withoutChartData = (page: string) => page.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/g, '');

describe.each(DATABASE_KINDS)("the client's report and release email in their language (%s)", (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  const released = new Map<Language, { mail: ParsedMail; page: string }>();
  const roundIds = new Map<Language, string>();

  async function releaseIn(language: Language, clientEmail: string): Promise<void> {
    const { mail, link, roundId } = await releaseReportIn(context, coach, language, clientEmail);
    const page = await context.browser().get(link);
    expect(page.status).toBe(200);
    released.set(language, { mail, page: page.text });
    roundIds.set(language, roundId);
  }

  beforeAll(async () => {
    context = await createTestContext(kind, { env: { RELEASE_LINK_DAYS: '14', SURVEY_EMAIL_HOLD_SECONDS: '0' } });
    context.clock.set('2026-12-04T10:00:00.000Z');
    coach = await createCoach(context, { name: 'Kim Coach' });
    browser = await signedInBrowser(context, coach);
    await releaseIn('fr', 'jordan.fr@example.com');
    await releaseIn('de', 'jordan.de@example.com');
  });
  afterAll(() => context.close());

  it('emails the client in French, subject included, with the day as French writes it', () => {
    const { mail } = released.get('fr')!;
    expect(mail.subject).toBe('Votre rapport de feedback 360° est prêt');
    expect(mail.text).toContain('Bonjour Jordan Lee,');
    expect(mail.text).toContain('Kim Coach vous l’a remis');
    // Released on 4 Dec 2026 with a 14-day link: it works until 18 December.
    expect(mail.text).toContain('jusqu’au 18 déc. 2026');
    expect(mail.html).toContain('Ouvrir votre rapport');
    expect(mail.text).not.toContain('Your 360');
  });

  it('emails the client in German, subject included', () => {
    const { mail } = released.get('de')!;
    expect(mail.subject).toBe('Ihr 360°-Feedback-Bericht ist fertig');
    expect(mail.text).toContain('Guten Tag Jordan Lee,');
    expect(mail.text).toContain('bis zum 18. Dez. 2026');
  });

  it('shows the report in French: texts, questionnaire, decimals and days', () => {
    const { page } = released.get('fr')!;
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Feedback 360° de Jordan Lee');
    expect(page).toContain('Vision et stratégie');
    expect(page).toContain('Décrit pour l’équipe une orientation claire et mobilisatrice.');
    expect(page).toContain('Tous les autres');
    expect(page).toMatch(/>4,25<span class="n"/);
    expect(page).toContain('Remis par Kim Coach le 4 déc. 2026.');
    expect(page).toContain('Comment lire ce rapport');
    expect(page).toContain('les autres donnent 4,25 alors que Jordan s’attribue 3,00, soit 1,25 points de moins.');
    for (const english of ['Competencies at a glance', 'All others', 'How to read this report', 'Describes a clear', 'Print / Save']) expect(page).not.toContain(english);
    // Figures are written with a comma; only the charts' data (read by script, shown per Chart.js's locale) holds 4.25.
    expect(withoutChartData(page)).not.toContain('4.25');
  });

  it('shows the report in German with German decimals and the items in German', () => {
    const { page } = released.get('de')!;
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('360°-Feedback für Jordan Lee');
    expect(page).toContain('Alle anderen');
    expect(page).toMatch(/>4,25<span class="n"/);
    expect(page).toContain('Freigegeben von Kim Coach am 4. Dez. 2026.');
    expect(withoutChartData(page)).not.toContain('4.25');
  });

  it('shows comments as written and never marks their language', () => {
    for (const language of ['fr', 'de'] as const) {
      const { page } = released.get(language)!;
      const comments = page.slice(page.indexOf('id="comments"'), page.indexOf('id="howto"'));
      expect(comments).toContain('peers-1: Hört gut zu. Écoute bien.');
      expect(comments).not.toMatch(/\blang=/);
      for (const marker of ['Français', 'Deutsch', 'French', 'German', 'Französisch', 'allemand', 'English', 'anglais']) expect(comments).not.toContain(marker);
    }
  });

  it("shows the coach's own report page and menu in the coach's language, whatever the client's", async () => {
    await context.db.updateTable('coaches').set({ language: 'de' }).where('id', '=', coach.id).execute();
    const page = (await browser.get(`/rounds/${roundIds.get('fr')}/report`)).text;
    await context.db.updateTable('coaches').set({ language: 'en' }).where('id', '=', coach.id).execute();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('>Abmelden</button>');
    expect(page).toContain('360°-Feedback für Jordan Lee');
    expect(page).toContain('Vision und Strategie');
    expect(page).toMatch(/>4,25<span class="n"/);
    expect(page).toContain('Neue Version freigeben');
    expect(page).toContain('Jordan Lee liest ihn samt E-Mail auf Französisch.');
    expect(page).not.toContain('Tous les autres');
  });
});
