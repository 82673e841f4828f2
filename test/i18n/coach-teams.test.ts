import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { setCoachLanguage } from '../../server/auth/auth.service';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { findRound } from '../../server/rounds/rounds.repository';
import { insertTeam } from '../../server/teams/teams.repository';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { assessedLeader, everywhere, practiceQuestionnaire } from '../norms/practice';

/** Handlebars escapes quotes and apostrophes; the checks read the text as the browser shows it. */
function shown(html: string): string {
  return html.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/**
 * The team pages follow the signed-in coach's account language (issue 17): list, new team, leaders,
 * adding leaders, the team report with its numbers, flashes, and why a change is refused. Names of
 * teams, leaders, competencies and items are the coach's data and stay as written.
 */
describe.each(DATABASE_KINDS)("the team pages in the coach's language (%s)", (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let version: string;
  let eve: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    const questionnaireId = await practiceQuestionnaire(context, coach);
    let round = '';
    for (const [name, i1] of [['Ada', 2], ['Ben', 3], ['Cleo', 4], ['Dev', 5]] as const) round = (await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1 }, { name, organisation: 'Acme' })).round.id;
    eve = (await assessedLeader(context, coach, questionnaireId, everywhere(4), { name: 'Eve', organisation: 'Globex' })).engagement.id;
    version = questionnaireVersionOf((await findRound(context.db, round))!.snapshot!);
  });
  afterAll(() => context.close());

  it('speaks French on every team page, numbers included, and explains a refused change in French', async () => {
    await setCoachLanguage(context.db, coach.id, 'fr');
    const list = shown((await browser.get('/teams')).text);
    expect(list).toContain('<h1>Équipes</h1>');
    expect(list).toContain('Pas encore d’équipe.');
    expect(list).not.toContain('No teams yet');
    const form = shown((await browser.get('/teams/new')).text);
    expect(form).toContain('Nom de l’équipe');
    expect(form).toContain('2 compétences, 4 énoncés · 5 dirigeants avec un 360° initial clôturé');
    expect(form).not.toContain('Create team');

    const created = await browser.post('/teams', { name: 'Direction Acme', version, organisation: 'acme' });
    expect(created.status).toBe(303);
    const teamPath = created.location!;
    const report = shown((await browser.get(teamPath)).text);
    expect(report).toContain('Équipe créée avec 4 dirigeants.');
    expect(report).toContain('Rapport d’équipe · 4 dirigeants');
    expect(report).toContain('Forces de l’équipe');
    expect(report).toContain('Comment lire ce rapport');
    // i1: (2 + 3 + 4 + 5) / 4 = 3.5, written the French way.
    expect(report).toMatch(/Sets clear goals<\/th><td class="num" data-label="Équipe"><span class="value">3,50<span class="n" title="dirigeants"> 4<\/span>/);
    expect(report).toContain('"label":"Équipe, tous les autres"');
    expect(report).not.toMatch(/Team strengths|How to read this report|Competency score/);

    const members = shown((await browser.get(`${teamPath}/members`)).text);
    expect(members).toContain('Direction Acme\u00a0: dirigeants');
    expect(members).toContain('Supprimer l’équipe');
    const candidates = shown((await browser.get(`${teamPath}/candidates`)).text);
    expect(candidates).toContain('Ajouter des dirigeants');
    expect(candidates).toContain('Client ou organisation');

    const refused = shown((await browser.post(`${teamPath}/members/add`, { engagementId: eve })).text);
    expect(refused).toContain('Ajouter ce dirigeant permettrait de déduire les chiffres sur la compétence «\u00a0Direction\u00a0» de Eve.');
    expect(refused).toContain('Remettez-leur d’abord leur rapport, ou modifiez l’équipe d’au moins 3 de ces dirigeants à la fois.');
    expect(refused).not.toContain('Adding this leader');
  });

  it('speaks German too, and English again when the coach chooses it', async () => {
    await setCoachLanguage(context.db, coach.id, 'de');
    const teamPath = /href="(\/teams\/[A-Za-z0-9_-]+)">Direction Acme</.exec((await browser.get('/teams')).text)![1]!;
    const report = shown((await browser.get(teamPath)).text);
    expect(report).toContain('Teambericht · 4 Führungskräfte');
    expect(report).toContain('So lesen Sie diesen Bericht');
    expect(report).toMatch(/data-label="Team"><span class="value">3,50/);
    const deleted = await browser.post(`${teamPath}/delete`);
    expect(shown((await browser.get(deleted.location!)).text)).toContain('Team „Direction Acme“ gelöscht.');

    await setCoachLanguage(context.db, coach.id, 'en');
    const list = (await browser.get('/teams')).text;
    expect(list).toContain('<h1>Teams</h1>');
    expect(list).toContain('No teams yet.');
  });

  it('pages lists in the coach\'s language', async () => {
    for (let index = 0; index < 26; index++) {
      await insertTeam(context.db, { id: `team-${index}`, coachId: coach.id, name: `Team ${index}`, questionnaireVersion: version, questionnaireName: 'Team basics', createdAt: '2026-12-01T00:00:00Z', updatedAt: `2026-12-01T00:00:${String(index).padStart(2, '0')}Z` });
    }
    await setCoachLanguage(context.db, coach.id, 'nl');
    const first = (await browser.get('/teams')).text;
    expect(first).toContain('rel="next">Volgende pagina</a>');
    expect(first).toContain('aria-label="Meer teams"');
    const next = shown(/href="([^"]+)" rel="next"/.exec(first)![1]!);
    expect((await browser.get(next)).text).toContain('>Eerste pagina</a>');
    await setCoachLanguage(context.db, coach.id, 'en');
    expect((await browser.get('/teams')).text).toContain('rel="next">Next page</a>');
  });
});
