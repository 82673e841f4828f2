import { create as contentDisposition } from 'content-disposition';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { coachText, coachTranslator } from '../auth/coach-text';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { validForm, type FormValues } from '../http/forms';
import { mailContext } from '../http/mail-context';
import { MissLimiter } from '../http/rate-limit';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { getEngagement } from '../engagements/engagements.service';
import { canRelease, offerClosure } from '../rounds/round-rules';
import { getRound } from '../rounds/rounds.service';
import { pulseReportForCoach } from '../pulses/pulses.service';
import { developmentPlan, listPlan } from '../focus-areas/focus-areas.service';
import type { FocusArea } from '../focus-areas/focus-areas.types';
import type { Translator } from '../i18n/translator';
import type { ReportModel } from '../../reports/types';
import { pulseView } from '../pulses/pulse-view';
import { dayOf } from '../clock';
import { changeReportForRound, publishedChange } from './change.service';
import { changeInLanguage, changeView } from './change-view';
import { changeCsv, reportCsv } from './report-csv';
import { reportView } from './report-view';
import { reportInLanguage } from './report-language';
import { publicationView } from './version-view';
import * as reports from './reports.service';
import { comparisonView, normJson } from '../norms/norm-view';
import { reportNorms } from '../norms/norms.service';

const releaseSchema = z.object({ note: text(5000, 'Debrief note') });

/**
 * A download's Content-Disposition: the client's name as written ("Émilie Dubois" stays so, as
 * RFC 6266 filename*), with an ASCII fallback for old clients (content-disposition does both).
 */
export function attachment(clientName: string, purpose: string, extension: string): string {
  const name = `${`${clientName} ${purpose} 360`.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim() || 'report'}.${extension}`;
  const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]/g, '_');
  return contentDisposition(name, { fallback: ascii });
}

async function renderCoachReport(c: Context<AppEnv>, values: FormValues = {}, errors: FieldErrors = {}) {
  const { db, clock, views } = c.get('deps');
  const report = await reports.roundReport(db, signedInCoach(c).id, c.req.param('id') ?? '');
  const { model } = report.publication;
  const now = clock.now();
  // The coach reads their own report in their account's language, questionnaire texts included.
  const { language } = signedInCoach(c);
  const translator = views.translator(language);
  const norms = await reportNorms(db, signedInCoach(c).id, { engagementId: report.engagement.id, snapshot: report.round.snapshot, model }, c.req.query('norm') || undefined);
  return render(
    c,
    'reports/coach',
    {
      title: translator.t('coach.report.title', { name: report.engagement.clientName }),
      round: { ...report.round, label: translator.t(`report.purpose.${report.round.purpose}`) },
      engagement: report.engagement,
      status: publicationView(report.round, report.publication, report.engagement.clientName, translator),
      report: model
        ? reportView(reportInLanguage(model, report.round.snapshot, language), { clientName: report.engagement.clientName, translator, focus: await listPlan(db, signedInCoach(c).id, report.engagement.id), placements: norms.comparison?.placements })
        : null,
      normChoice: model ? { choices: norms.choices, selected: norms.comparison?.norm.id ?? null, comparison: norms.comparison && comparisonView(norms.comparison) } : null,
      releases: report.releases.map((release) => ({ ...release, status: reports.releaseStatus(release, now) })),
      canRelease: canRelease(report.round),
      releasedVersion: report.releases.find((release) => reports.releaseStatus(release, now) === 'active')?.reportVersion ?? null,
      linkDays: c.get('deps').config.releaseLinkDays,
      clientLink: c.get('deps').mailer.deliversEmail ? null : await reports.activeReleaseLink(db, report, now),
      values,
      errors,
      scripts: model ? ['vendor/chart.umd.min.js', 'report-charts.js'] : [],
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

async function renderPulseReport(c: Context<AppEnv>) {
  const { db } = c.get('deps');
  const { round, publication } = await pulseReportForCoach(db, signedInCoach(c).id, c.req.param('id') ?? '');
  const engagement = await getEngagement(db, round.coachId, round.engagementId);
  const translator = coachTranslator(c);
  return render(c, 'reports/pulse', {
    title: translator.t('pulsePage.title', { name: engagement.clientName }),
    round: { ...round, since: round.pulseSince ?? round.createdAt },
    engagement,
    status: publicationView(round, publication, engagement.clientName, translator),
    pulse: publication.model ? pulseView(publication.model, translator) : null,
  });
}

/** The coach's report of a round, its exports and its release to the client. */
export function roundReportRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const coachId = (c: Context<AppEnv>) => signedInCoach(c).id;

  routes.get('/:id/report', async (c) => {
    const round = await getRound(c.get('deps').db, coachId(c), c.req.param('id'));
    return round.purpose === 'pulse' ? renderPulseReport(c) : renderCoachReport(c);
  });

  routes.get('/:id/change', async (c) => {
    const deps = c.get('deps');
    const change = await changeReportForRound(deps.db, coachId(c), c.req.param('id'));
    const translator = coachTranslator(c);
    return render(c, 'reports/change', {
      title: translator.t('changePage.title', { name: change.engagement.clientName }),
      engagement: change.engagement,
      baseline: { ...change.baseline, closedOn: change.baseline.closedAt ?? change.baseline.deadline },
      evaluation: { ...change.evaluation, closedOn: change.evaluation.closedAt ?? change.evaluation.deadline, open: change.evaluation.status === 'open' },
      versions: change.versions,
      readiness: change.readiness,
      change: change.report ? changeView(changeInLanguage(change.report, [change.evaluation.snapshot, change.baseline.snapshot], translator.language), change.engagement.clientName, translator) : null,
      offerClosure: offerClosure(change.engagement.stage, change),
      today: dayOf(deps.clock.now()),
      scripts: change.report ? ['vendor/chart.umd.min.js', 'report-charts.js'] : [],
    });
  });

  routes.get('/:id/change.csv', async (c) => {
    const change = await changeReportForRound(c.get('deps').db, coachId(c), c.req.param('id'));
    const report = publishedChange(change);
    c.header('Content-Disposition', attachment(change.engagement.clientName, 'change', 'csv'));
    return c.body(changeCsv(report), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  routes.get('/:id/change.json', async (c) => {
    const change = await changeReportForRound(c.get('deps').db, coachId(c), c.req.param('id'));
    const report = publishedChange(change);
    c.header('Content-Disposition', attachment(change.engagement.clientName, 'change', 'json'));
    return c.json({ baselineRoundId: change.baseline.id, evaluationRoundId: change.evaluation.id, versions: change.versions, change: report });
  });

  routes.get('/:id/report.csv', async (c) => {
    const report = await reports.roundReport(c.get('deps').db, coachId(c), c.req.param('id'));
    const model = reports.publishedModel(report);
    const { comparison } = await reportNorms(c.get('deps').db, coachId(c), { engagementId: report.engagement.id, snapshot: report.round.snapshot, model }, c.req.query('norm') || undefined);
    c.header('Content-Disposition', attachment(report.engagement.clientName, report.round.purpose, 'csv'));
    return c.body(reportCsv(model, comparison?.placements), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  routes.get('/:id/report.json', async (c) => {
    const report = await reports.roundReport(c.get('deps').db, coachId(c), c.req.param('id'));
    const model = reports.publishedModel(report);
    const { comparison } = await reportNorms(c.get('deps').db, coachId(c), { engagementId: report.engagement.id, snapshot: report.round.snapshot, model }, c.req.query('norm') || undefined);
    c.header('Content-Disposition', attachment(report.engagement.clientName, report.round.purpose, 'json'));
    return c.json({
      round: { id: report.round.id, purpose: report.round.purpose, status: report.round.status, version: report.publication.latest, lateAnswersHeld: report.publication.proposal.held.total },
      report: model,
      ...(comparison ? { norm: normJson(comparison) } : {}),
    });
  });

  routes.post('/:id/release', validForm(releaseSchema, renderCoachReport), async (c) => {
    const deps = c.get('deps');
    const release = await reports.releaseReport(deps.db, mailContext(deps), coachId(c), c.req.param('id'), { note: c.req.valid('form').note, linkDays: deps.config.releaseLinkDays });
    deps.outbox.wake();
    const { t } = coachTranslator(c);
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}/report#release`, release.version > 1 ? t('flash.release.again', { version: release.version }) : t('flash.release.first'));
  });

  routes.post('/:id/releases/:releaseId/revoke', async (c) => {
    const { db, clock } = c.get('deps');
    await reports.revokeRelease(db, clock, coachId(c), c.req.param('id'), c.req.param('releaseId'));
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}/report#release`, coachText(c, 'flash.release.revoked'), 'info');
  });

  return routes;
}

/** The client's private, read-only link to a released report. */
export function clientReportRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const misses = new MissLimiter();
  routes.get('/:token', async (c) => {
    const { db, clock, views } = c.get('deps');
    const found = await misses.lookup(c, () => reports.findReleasedReport(db, clock, c.req.param('token')));
    // Everything the client reads is in the engagement's language; the analysis is the released one.
    const { language } = found.engagement;
    c.set('readerLanguage', language);
    const translator = views.translator(language);
    const model = reportInLanguage(found.release.report, found.round.snapshot, language);
    const plan = await developmentPlan(db, found.engagement.id);
    return render(c, 'reports/client', {
      language,
      plan: clientPlan(plan, model, translator),
      title: translator.t('client.title'),
      hideNav: true,
      release: found.release,
      coachName: found.coachName,
      round: { ...found.round, label: translator.t(`report.purpose.${found.round.purpose}`) },
      engagement: found.engagement,
      report: reportView(model, { clientName: found.engagement.clientName, translator, focus: plan }),
      scripts: ['vendor/chart.umd.min.js', 'report-charts.js'],
    });
  });
  return routes;
}

/** The development plan as the client reads it: focus areas named as in their report, statuses in their language. */
function clientPlan(plan: FocusArea[], model: ReportModel, translator: Translator) {
  const names = new Map<string, string>([
    ...model.competencies.map((competency) => [`competency:${competency.id}`, competency.name] as const),
    ...model.competencies.flatMap((competency) => competency.items.map((item) => [`item:${item.id}`, item.text] as const)),
  ]);
  return plan.map((focus) => ({
    ...focus,
    label: names.get(`${focus.type}:${focus.refId}`) ?? focus.label,
    actions: focus.actions.map((action) => ({ ...action, statusLabel: translator.t(`client.plan.status.${action.status}`) })),
  }));
}
