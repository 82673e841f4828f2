import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { createEngagement } from '../../server/engagements/engagements.service';
import { mailContext } from '../../server/http/mail-context';
import type { Language } from '../../server/i18n/languages';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import { localizedQuestionnaire } from '../../server/questionnaires/questionnaire-languages';
import { addRaterList, remindNow } from '../../server/rounds/invitations.service';
import { DEFAULT_GROUPS } from '../../server/rounds/round-settings';
import { createRound, launchRound } from '../../server/rounds/rounds.service';
import type { Round } from '../../server/rounds/rounds.types';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, recipientsOf } from '../helpers/mail';
import { splitFields } from '../../server/rounds/rater-list';
import { surveyItemIds } from '../helpers/rounds';
import { createSmtpTestContext, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * A round in five languages, end to end over real SMTP (issue 17's "Done means"): the round is in
 * English with k = 3; ten raters: three English peers, a French manager and three French
 * "others", and one direct report each in German, Spanish and Dutch; the client answers in German
 * (the engagement's language). Every email and survey page is in its rater's language, the
 * warning shows for the three languages fewer than k raters read, and the answers are one report.
 */
const RATERS: Array<{ email: string; group: string; column: string; language: Language; rating: number }> = [
  { email: 'en-1@example.com', group: 'peers', column: '', language: 'en', rating: 5 },
  { email: 'en-2@example.com', group: 'peers', column: '', language: 'en', rating: 5 },
  { email: 'en-3@example.com', group: 'peers', column: '', language: 'en', rating: 5 },
  { email: 'fr-manager@example.com', group: 'manager', column: 'Français', language: 'fr', rating: 4 },
  { email: 'fr-1@example.com', group: 'others', column: 'fr', language: 'fr', rating: 4 },
  { email: 'fr-2@example.com', group: 'others', column: 'French', language: 'fr', rating: 4 },
  { email: 'fr-3@example.com', group: 'others', column: 'französisch', language: 'fr', rating: 4 },
  { email: 'de@example.com', group: 'reports', column: 'Deutsch', language: 'de', rating: 3 },
  { email: 'es@example.com', group: 'reports', column: 'Spanish', language: 'es', rating: 2 },
  { email: 'nl@example.com', group: 'reports', column: 'nl', language: 'nl', rating: 1 },
];

/** What each language's invitation says, in its subject and its body (the button's words, and the plain text's line before the link). */
const INVITATION_WORDS: Record<Language, { subject: string; button: string; linkLine: string }> = {
  en: { subject: 'Feedback for Jordan Lee: please respond by 16 Mar 2026', button: 'Give your feedback', linkLine: 'Give your feedback: http' },
  fr: { subject: 'Feedback pour Jordan Lee\u00a0: merci de répondre avant le 16 mars 2026', button: 'Donner mon feedback', linkLine: 'Donner mon feedback\u00a0: http' },
  de: { subject: 'Feedback für Jordan Lee: bitte antworten Sie bis zum 16. März 2026', button: 'Feedback geben', linkLine: 'Feedback geben: http' },
  es: { subject: 'Feedback para Jordan Lee: responda antes del 16 mar 2026', button: 'Dar mi feedback', linkLine: 'Dar mi feedback: http' },
  nl: { subject: 'Feedback voor Jordan Lee: graag antwoorden vóór 16 mrt 2026', button: 'Feedback geven', linkLine: 'Feedback geven: http' },
};

/** The warning before the open questions, for the languages fewer than k = 3 raters read. */
const WARNINGS: Partial<Record<Language, string>> = {
  de: 'Weniger als 3 Personen antworten auf Deutsch; schreiben Sie daher auf Englisch, wenn Ihre Kommentare anonym bleiben sollen.',
  es: 'Menos de 3 evaluadores responden en español, así que escriba en inglés si quiere que sigan siendo anónimos.',
  nl: 'Minder dan 3 beoordelaars antwoorden in het Nederlands; schrijf dus in het Engels als u wilt dat ze anoniem blijven.',
};

const escapeHtml = (text: string) => Handlebars.escapeExpression(text);
const FIRST_QUESTION = `c.${LEADERSHIP_360.openQuestions[0]!.id}`;

describe.each(DATABASE_KINDS)('a round in five languages, end to end over SMTP (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let close: () => Promise<void>;
  let coach: Coach;
  let browser: TestBrowser;
  let round: Round;
  const links = new Map<string, string>();

  const mailTo = (email: string, subjectStart = '') => smtp.messages.filter((mail) => recipientsOf(mail).includes(email) && (mail.subject ?? '').startsWith(subjectStart));

  beforeAll(async () => {
    ({ smtp, context, close } = await createSmtpTestContext(kind));
    coach = await createCoach(context, { name: 'Sam Carter' });
    browser = await signedInBrowser(context, coach);
    const engagement = await createEngagement(context.db, context.clock, coach.id, {
      clientName: 'Jordan Lee',
      clientEmail: 'jordan.lee@example.com',
      organisation: 'Northwind',
      role: 'CFO',
      startDate: '2026-02-01',
      notes: '',
      stage: 'assessment',
      language: 'de',
    });
    round = await createRound(context.db, context.clock, coach.id, engagement.id, {
      questionnaireId: 'leadership-360',
      purpose: 'baseline',
      deadlineDay: '2026-03-16',
      message: '',
      k: 3,
      tau: null,
      language: 'en',
      groups: DEFAULT_GROUPS.map((group) => ({ label: group.label, minimum: group.minimum, anonymous: group.anonymous })),
    });
    const list = RATERS.map((rater) => `${rater.email},,${rater.group},${rater.column}`).join('\n');
    expect((await addRaterList(context.db, mailContext(context.deps), coach.id, round.id, list)).errors).toEqual([]);
    await launchRound(context.db, mailContext(context.deps), coach.id, round.id);
    await deliverOutbox(context);
    await smtp.waitFor(RATERS.length + 1);
  });
  afterAll(() => close());

  it("sends each rater's invitation in their language, subject and body, and the client's in the engagement's", () => {
    for (const rater of RATERS) {
      const [mail] = mailTo(rater.email);
      expect(mail, rater.email).toBeDefined();
      expect(mail!.subject).toBe(INVITATION_WORDS[rater.language].subject);
      expect(mail!.text).toContain(INVITATION_WORDS[rater.language].button);
      expect(mail!.text).toContain(INVITATION_WORDS[rater.language].linkLine);
      expect(mail!.html).toContain(INVITATION_WORDS[rater.language].button);
      expect(mail!.html).toContain(`<html lang="${rater.language}">`);
      // The privacy notice in their language (its plain address in English, the source language).
      expect(mail!.text).toContain(rater.language === 'en' ? '/privacy\n' : `/privacy?lang=${rater.language}\n`);
      links.set(rater.email, linkIn(mail!, '/s/'));
    }
    const [self] = mailTo('jordan.lee@example.com');
    expect(self!.subject).toBe('Jordan Lee: Ihre 360°-Selbsteinschätzung, fällig am 16. März 2026');
    expect(self!.text).toContain('Guten Tag Jordan Lee,');
    expect(self!.text).toContain('Selbsteinschätzung beginnen');
    links.set('jordan.lee@example.com', linkIn(self!, '/s/'));
  });

  it('shows each survey in its rater’s language, with the warning only where fewer than k raters share it', async () => {
    for (const rater of RATERS) {
      const page = await context.browser().get(links.get(rater.email)!);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<html lang="${rater.language}">`);
      const questionnaire = localizedQuestionnaire(LEADERSHIP_360, rater.language);
      expect(page.text).toContain(escapeHtml(questionnaire.competencies[0]!.items[0]!.text));
      expect(page.text).toContain(escapeHtml(questionnaire.openQuestions[0]!.text));
      const warning = WARNINGS[rater.language];
      if (warning) expect(page.text).toContain(escapeHtml(warning));
      else expect(page.text).not.toContain('class="language-warning"');
    }
    // The client's comments are shown as theirs anyway: never a warning for them.
    const self = await context.browser().get(links.get('jordan.lee@example.com')!);
    expect(self.text).toContain('<html lang="de">');
    expect(self.text).toContain('Ihre Selbsteinschätzung');
    expect(self.text).not.toContain('class="language-warning"');
  });

  it('keeps the answers given when a rater switches language without JavaScript, and remembers it for the reminders', async () => {
    const link = links.get('nl@example.com')!;
    const rater = context.browser();
    const page = await rater.get(link);
    const [first, second] = surveyItemIds(page.text);
    const switched = await rater.post(link, { [`r.${first}`]: '1', [`r.${second}`]: 'na', [FIRST_QUESTION]: 'Goed bezig', switchLanguage: 'de' });
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('<html lang="de">');
    expect(switched.text).toContain(`name="r.${first}" value="1" checked`);
    expect(switched.text).toContain(`name="r.${second}" value="na" checked`);
    expect(switched.text).toContain('>Goed bezig</textarea>');
    // Two raters read German now, still fewer than k: the warning, in German.
    expect(switched.text).toContain(escapeHtml(WARNINGS.de!));
    const again = await rater.get(link);
    expect(again.text).toContain('<html lang="de">');
    expect(again.text).toContain(`name="r.${first}" value="1" checked`);

    await remindNow(context.db, mailContext(context.deps), coach.id, round.id);
    await deliverOutbox(context);
    await smtp.waitFor(RATERS.length + 1 + RATERS.length + 1);
    expect(mailTo('nl@example.com', 'Erinnerung: Feedback für Jordan Lee fällig am 16. März 2026')).toHaveLength(1);
    expect(mailTo('fr-1@example.com', 'Rappel\u00a0: feedback pour Jordan Lee attendu avant le 16 mars 2026')).toHaveLength(1);
    expect(mailTo('es@example.com', 'Recordatorio: el feedback para Jordan Lee vence el 16 mar 2026')).toHaveLength(1);
    expect(mailTo('jordan.lee@example.com', 'Erinnerung: Ihre Selbsteinschätzung ist fällig am 16. März 2026')).toHaveLength(1);
  });

  it('puts the answers from all five languages into one report, and thanks each rater in their language', async () => {
    for (const rater of [...RATERS, { email: 'jordan.lee@example.com', rating: 2 }]) {
      const link = links.get(rater.email)!;
      const page = await context.browser().get(link);
      const fields: Record<string, string> = { intent: 'submit', notice: 'read', [FIRST_QUESTION]: `Comment from ${rater.email}` };
      for (const id of surveyItemIds(page.text)) fields[`r.${id}`] = String(rater.rating);
      expect((await context.browser().post(link, fields)).status, rater.email).toBe(200);
    }
    await deliverOutbox(context);
    const thanks: Record<string, string> = {
      'en-1@example.com': 'Thank you for your feedback for Jordan Lee',
      'fr-manager@example.com': 'Merci pour votre feedback pour Jordan Lee',
      'de@example.com': 'Vielen Dank für Ihr Feedback für Jordan Lee',
      'es@example.com': 'Gracias por su feedback para Jordan Lee',
      'nl@example.com': 'Vielen Dank für Ihr Feedback für Jordan Lee', // switched to German above
      'jordan.lee@example.com': 'Vielen Dank für Ihre Selbsteinschätzung',
    };
    await smtp.waitFor(2 * (RATERS.length + 1) + RATERS.length + 1);
    for (const [email, subject] of Object.entries(thanks)) expect(mailTo(email, subject), email).toHaveLength(1);

    expect((await browser.post(`/rounds/${round.id}/close`)).status).toBe(303);
    const csv = await browser.get(`/rounds/${round.id}/report.csv`);
    expect(csv.status).toBe(200);
    const rows = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n').map(splitFields);
    expect(rows[0]).not.toContain('language');
    const firstItem = LEADERSHIP_360.competencies[0]!.items[0]!.text;
    const cell = (group: string) => rows.find((row) => row[0] === 'item' && row[2] === firstItem && row[3] === group)!.slice(4, 7);
    // Hand-computed, item 1: English peers 5 5 5, French manager and others 4 4 4 4, German 3,
    // Spanish 2, Dutch 1: n = 10, sum = 15 + 16 + 6 = 37, mean 3.7. Direct reports (one rater
    // per language): 3 + 2 + 1 = 6 over 3 = 2.
    expect(cell('All others')).toEqual(['10', '0', '3.7']);
    expect(cell('Direct reports')).toEqual(['3', '0', '2']);
    expect(cell('Self')).toEqual(['1', '0', '2']);

    const report = await browser.get(`/rounds/${round.id}/report.json`);
    const comments = JSON.stringify(JSON.parse(report.text));
    for (const rater of RATERS) expect(comments).toContain(`Comment from ${rater.email}`);
    // No comment is marked with its language anywhere in the model.
    expect(comments).not.toMatch(/"language"\s*:\s*"(fr|de|es|nl)"/);
  });

  it('stores no language with any response', async () => {
    const responses = await context.db.selectFrom('responses').selectAll().where('round_id', '=', round.id).execute();
    expect(responses).toHaveLength(RATERS.length + 1);
    for (const response of responses) {
      expect(Object.keys(response).sort()).toEqual(['answers', 'group_key', 'id', 'mixed', 'round_id', 'version']);
      const answers = JSON.parse(response.answers) as { ratings: Record<string, unknown>; comments: Record<string, string> };
      expect(Object.keys(answers).sort()).toEqual(['comments', 'ratings']);
      expect(JSON.stringify(answers)).not.toMatch(/"(en|fr|de|es|nl)"|language/i);
    }
  });
});
