import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { emailAddress, requiredText, saying } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { render } from '../http/render';
import { requireCoach, signedInCoach } from '../http/session';
import { isLanguage, SOURCE_LANGUAGE } from '../i18n/languages';
import { coachText, coachTranslator } from '../auth/coach-text';
import { groupLabel } from '../reports/report-language';
import { DEFAULT_GROUPS } from '../rounds/round-settings';
import * as privacy from './privacy.service';

const noticeSchema = z.object({ text: requiredText(privacy.MAX_NOTICE_CHARACTERS + 2000, 'The notice') });
const eraseSchema = z.object({ email: emailAddress(), confirm: z.literal('erase', saying('validation.confirm')) });

/** The notice raters confirm, readable by anyone: it is linked from every invitation and survey. */
export function privacyNoticeRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // ?lang=fr: the built-in notice in the rater's language (links from surveys and emails carry it).
  routes.get('/', async (c) => {
    const { db, config, views } = c.get('deps');
    const requested = c.req.query('lang');
    const translator = views.translator(isLanguage(requested) ? requested : SOURCE_LANGUAGE);
    const notice = await privacy.privacyNotice(db, config.retentionDays, translator);
    return render(c, 'privacy/notice', {
      title: translator.t('privacy.title'),
      layout: 'survey',
      language: translator.language,
      paragraphs: privacy.noticeParagraphs(notice.text),
      notice,
    });
  });
  return routes;
}

async function renderNoticeEditor(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const { db, config, views } = c.get('deps');
  const admin = signedInCoach(c);
  // The built-in notice as this coach reads it; raters read it in their own language until the administrator writes one.
  const notice = await privacy.privacyNotice(db, config.retentionDays, views.translator(admin.language));
  return render(
    c,
    'privacy/edit',
    {
      title: coachText(c, 'privacyAdmin.notice.title'),
      isAdmin: admin.isAdmin,
      notice,
      paragraphs: privacy.noticeParagraphs(notice.text),
      retentionDays: config.retentionDays,
      values: { text: notice.text, ...values },
      errors,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

async function renderPersonalData(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const { db } = c.get('deps');
  const email = values.email ?? c.req.query('email') ?? '';
  const report = email && !errors.email ? await privacy.findPersonalData(db, signedInCoach(c), email) : null;
  const translator = coachTranslator(c);
  const t = (key: string) => translator.t(key);
  // Statuses in the coach's words: the export keeps the stored values (they are data).
  const shown = report && {
    ...report,
    records: {
      ...report.records,
      invitations: report.records.invitations.map((row) => ({
        ...row,
        // A built-in group's name in the coach's words; a group the coach named stays as written.
        groupLabel: groupLabel(DEFAULT_GROUPS.find((group) => group.label === row.groupLabel)?.key ?? '', row.groupLabel, translator),
        status: t(`privacyAdmin.status.invitation.${row.status}`),
      })),
      nominations: report.records.nominations.map((row) => ({ ...row, status: t(`privacyAdmin.status.nomination.${row.status}`) })),
      messages: report.records.messages.map((row) => ({ ...row, status: t(`privacyAdmin.status.message.${row.status}`) })),
    },
  };
  return render(c, 'privacy/person', { title: t('privacyAdmin.people.title'), email, report: shown, values: { email, ...values }, errors }, Object.keys(errors).length ? 422 : 200);
}

/**
 * The administrator's privacy pages: the notice (every coach may read it and preview it, only the
 * administrator edits it), and finding, exporting and erasing one person's data.
 */
export function privacyAdminRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireCoach());
  routes.get('/notice', (c) => renderNoticeEditor(c, {}, {}));
  routes.post('/notice', validForm(noticeSchema, renderNoticeEditor), (c) => {
    const { db, clock } = c.get('deps');
    const { text } = c.req.valid('form');
    return orRerender(
      async () => {
        const notice = await privacy.savePrivacyNotice(db, clock, signedInCoach(c), text);
        return redirectWithFlash(c, '/privacy-admin/notice', coachText(c, 'flash.privacy.noticeSaved', { version: notice.version }));
      },
      (errors) => renderNoticeEditor(c, { text }, errors),
    );
  });

  routes.get('/people', async (c) => {
    const email = c.req.query('email') ?? '';
    if (!email) return renderPersonalData(c, {}, {});
    return orRerender(() => renderPersonalData(c, { email }, {}), (errors) => renderPersonalData(c, { email }, errors));
  });
  routes.get('/people/export', async (c) => {
    const email = c.req.query('email') ?? '';
    // Without an address there is nothing to export: back to the search, as a bookmark would expect.
    if (!email) return c.redirect('/privacy-admin/people', 303);
    const report = await privacy.findPersonalData(c.get('deps').db, signedInCoach(c), email);
    c.header('Content-Disposition', `attachment; filename="personal-data.json"`);
    return c.json({ email: report.email, exportedOn: c.get('deps').clock.now().toISOString().slice(0, 10), notFindable: report.notFindable, ...report.records });
  });
  routes.post('/people/erase', validForm(eraseSchema, renderPersonalData), (c) => {
    const { email } = c.req.valid('form');
    return orRerender(
      async () => {
        const tally = await privacy.erasePersonalData(c.get('deps').db, signedInCoach(c), email);
        const parts = Object.entries(tally).filter(([, count]) => count > 0).map(([what, count]) => coachText(c, `flash.privacy.erasedCount.${what}`, { count }));
        return redirectWithFlash(c, `/privacy-admin/people?email=${encodeURIComponent(email)}`, parts.length ? coachText(c, 'flash.privacy.erased', { list: parts.join(', ') }) : coachText(c, 'flash.privacy.nothingHeld'));
      },
      (errors) => renderPersonalData(c, { email }, errors),
    );
  });
  return routes;
}
