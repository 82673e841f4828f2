import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { dayOf } from '../clock';
import type { FieldErrors } from '../errors';
import { getEngagement } from '../engagements/engagements.service';
import type { AppEnv } from '../http/context';
import { calendarDay, emailAddress, saying, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { mailContext } from '../http/mail-context';
import { render } from '../http/render';
import { signedInCoach } from '../http/session';
import { listUsableQuestionnaires } from '../questionnaires/questionnaires.service';
import { formatDay } from '../views';
import { LANGUAGES } from '../i18n/languages';
import { coachText, coachTranslator } from '../auth/coach-text';
import { addRaterList, changeRaterLanguage, removeRater, remindNow } from './invitations.service';
import { approveNominations, editNomination, rejectNomination, requestNomination } from './nominations.service';
import { findGroup, type RaterLineError } from './rater-list';
import { coachGroupLabel, groupRows, languageOptions, newRoundValues, roundFormSchema, roundValues, withBuiltInGroupLabels } from './round-form';
import { roundPage } from './round-page';
import { roundOverview } from './round-progress';
import { canEditSettings, hasFixedQuestionnaire, invitesAtOnce } from './round-rules';
import * as rounds from './rounds.service';
import type { Round } from './rounds.types';

const languageField = z.enum(LANGUAGES, saying('validation.language'));
const raterSchema = z.object({ email: emailAddress(), name: text(120, 'Name'), group: text(40, 'Group'), language: languageField.optional() });
const raterLanguageSchema = z.object({ language: languageField });
const deadlineSchema = z.object({ deadlineDay: calendarDay('Deadline') });

async function questionnaireOptions(c: Context<AppEnv>, selected: string) {
  const list = await listUsableQuestionnaires(c.get('deps').db, signedInCoach(c).id);
  return list.map((questionnaire) => ({ id: questionnaire.id, name: questionnaire.name, selected: questionnaire.id === selected }));
}

async function renderSettingsForm(c: Context<AppEnv>, engagementId: string, values: FormValues, errors: FieldErrors, roundId?: string) {
  const engagement = await getEngagement(c.get('deps').db, signedInCoach(c).id, engagementId);
  return render(
    c,
    'rounds/settings',
    {
      title: coachText(c, roundId ? 'roundForm.title.edit' : 'roundForm.title.new'),
      engagement,
      roundId,
      values,
      errors,
      questionnaires: await questionnaireOptions(c, values.questionnaireId ?? ''),
      groups: groupRows(values, errors, coachTranslator(c)),
      languages: languageOptions(values.language),
      purposes: (['baseline', 'evaluation'] as const).map((key) => ({ key, label: coachText(c, `report.purpose.${key}`), selected: values.purpose === key })),
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

/** The round page (round-page.ts) with the forms' values and messages. */
async function renderRoundPage(c: Context<AppEnv>, roundId: string, forms: { values?: FormValues; errors?: FieldErrors; listErrors?: RaterLineError[]; listText?: string } = {}) {
  const { db, mailer, clock } = c.get('deps');
  const page = await roundPage(db, signedInCoach(c).id, roundId, { showLinks: !mailer.deliversEmail, translator: coachTranslator(c) });
  const errors = forms.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0 || (forms.listErrors?.length ?? 0) > 0;
  return render(
    c,
    'rounds/show',
    {
      ...page,
      groupOptions: page.groups.filter((group) => !group.self).map((group) => ({ key: group.key, label: group.label, selected: forms.values?.group === group.key })),
      emailConfigured: mailer.deliversEmail,
      values: { deadlineDay: page.round.deadline.slice(0, 10), ...forms.values },
      errors,
      listErrors: forms.listErrors ?? [],
      listText: forms.listText ?? '',
      today: dayOf(clock.now()),
    },
    hasErrors ? 422 : 200,
  );
}

/** Routes under /engagements/:id for starting a round. */
export function engagementRoundRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:id/rounds/new', async (c) => {
    const options = await questionnaireOptions(c, '');
    const language = await rounds.defaultRoundLanguage(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    return renderSettingsForm(c, c.req.param('id'), newRoundValues(c.get('deps').clock.now(), options[0]?.id ?? '', language), {});
  });
  routes.post(
    '/:id/rounds',
    validForm(roundFormSchema, (c, values, errors) => renderSettingsForm(c, c.req.param('id') ?? '', values, errors)),
    async (c) => {
      const { db, clock } = c.get('deps');
      const settings = withBuiltInGroupLabels(c.req.valid('form'), coachTranslator(c));
      return orRerender(
        async () => {
          const round = await rounds.createRound(db, clock, signedInCoach(c).id, c.req.param('id'), settings);
          return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.created'));
        },
        async (errors) => renderSettingsForm(c, c.req.param('id'), await formValues(c), errors),
      );
    },
  );
  return routes;
}

async function formValues(c: Context<AppEnv>): Promise<FormValues> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The round of the request and the rater group a form names; a form without a usable group is shown again with 422. */
async function resolveRaterGroup(c: Context<AppEnv>, form: { email: string; name: string; group: string }): Promise<{ round: Round; groupKey: string } | Response> {
  const overview = await roundOverview(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  const group = findGroup(overview.groups, form.group);
  if (!group || group.self) return renderRoundPage(c, overview.round.id, { values: form, errors: { group: coachText(c, 'roundPage.error.chooseGroup') } });
  return { round: overview.round, groupKey: group.key };
}

const detailsSchema = z.object({ deadlineDay: calendarDay('Deadline'), message: text(2000, 'Message') });

/** The settings a re-run or pulse still allows: its questionnaire, groups and k are those of its baseline. */
async function renderDetailsForm(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const overview = await roundOverview(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  return render(
    c,
    'rounds/details',
    {
      title: coachText(c, 'roundForm.title.edit'),
      round: { ...overview.round, label: coachText(c, `report.purpose.${overview.round.purpose}`) },
      engagement: overview.engagement,
      groups: overview.groups.map((group) => ({ ...group, label: coachGroupLabel(group, coachTranslator(c)) })),
      values,
      errors,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

/** Routes under /rounds/:id. */
export function roundRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const coachId = (c: Context<AppEnv>) => signedInCoach(c).id;

  routes.get('/:id', (c) => renderRoundPage(c, c.req.param('id')));

  routes.get('/:id/edit', async (c) => {
    const { db } = c.get('deps');
    const overview = await roundOverview(db, coachId(c), c.req.param('id'));
    if (!canEditSettings(overview.round)) return redirectWithFlash(c, `/rounds/${overview.round.id}`, coachText(c, 'flash.round.settingsLocked'), 'info');
    if (hasFixedQuestionnaire(overview.round)) return renderDetailsForm(c, { deadlineDay: overview.round.deadline.slice(0, 10), message: overview.round.message }, {});
    return renderSettingsForm(c, overview.engagement.id, roundValues(overview.round, overview.groups), {}, overview.round.id);
  });

  routes.post('/:id/details', validForm(detailsSchema, renderDetailsForm), async (c) => {
    const { db, clock } = c.get('deps');
    const form = c.req.valid('form');
    return orRerender(
      async () => {
        const round = await rounds.updateLinkedRoundDetails(db, clock, coachId(c), c.req.param('id'), form);
        return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.saved'));
      },
      (errors) => renderDetailsForm(c, form, errors),
    );
  });

  routes.post('/:id/rerun', async (c) => {
    const { db, clock, views } = c.get('deps');
    const round = await rounds.rerunForEvaluation(db, clock, coachId(c), c.req.param('id'), views.translator);
    return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.rerun'));
  });

  routes.post(
    '/:id/edit',
    validForm(roundFormSchema, async (c, values, errors) => {
      const round = await rounds.getRound(c.get('deps').db, coachId(c), c.req.param('id') ?? '');
      return renderSettingsForm(c, round.engagementId, values, errors, round.id);
    }),
    async (c) => {
      const { db, clock } = c.get('deps');
      const round = await rounds.getRound(db, coachId(c), c.req.param('id'));
      return orRerender(
        async () => {
          await rounds.updateDraftSettings(db, clock, coachId(c), round.id, withBuiltInGroupLabels(c.req.valid('form'), coachTranslator(c)));
          return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.settingsSaved'));
        },
        async (errors) => renderSettingsForm(c, round.engagementId, await formValues(c), errors, round.id),
      );
    },
  );

  routes.post(
    '/:id/raters',
    validForm(raterSchema, (c, values, errors) => renderRoundPage(c, c.req.param('id') ?? '', { values, errors })),
    async (c) => {
      const form = c.req.valid('form');
      const resolved = await resolveRaterGroup(c, form);
      if (resolved instanceof Response) return resolved;
      // One rater goes through the same checks as a pasted list.
      const result = await addRaterList(c.get('deps').db, mailContext(c.get('deps')), coachId(c), resolved.round.id, csvLine(form.email, form.name, resolved.groupKey, form.language));
      if (result.errors.length) return renderRoundPage(c, resolved.round.id, { values: form, errors: { email: result.errors[0]!.message } });
      c.get('deps').outbox.wake();
      return redirectWithFlash(c, `/rounds/${resolved.round.id}#raters`, coachText(c, 'flash.round.raterAdded', { email: form.email, invited: String(invitesAtOnce(resolved.round)) }));
    },
  );

  routes.post('/:id/raters/import', async (c) => {
    const { db } = c.get('deps');
    const body = await c.req.parseBody();
    const file = body.file instanceof File && body.file.size > 0 ? body.file : null;
    const pasted = typeof body.list === 'string' ? body.list : '';
    if (file && file.size > 500_000) return renderRoundPage(c, c.req.param('id'), { listErrors: [{ line: 0, message: coachText(c, 'roundPage.error.fileTooLarge') }] });
    const listText = file ? await file.text() : pasted;
    const result = await addRaterList(db, mailContext(c.get('deps')), coachId(c), c.req.param('id'), listText);
    if (result.errors.length) return renderRoundPage(c, c.req.param('id'), { listErrors: result.errors, listText: file ? '' : pasted });
    c.get('deps').outbox.wake();
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#raters`, coachText(c, 'flash.round.ratersAdded', { count: result.added }));
  });

  routes.post('/:id/raters/:invitationId/language', validForm(raterLanguageSchema, (c, _values, errors) => renderRoundPage(c, c.req.param('id') ?? '', { errors })), async (c) => {
    const { language } = c.req.valid('form');
    const invitation = await changeRaterLanguage(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('invitationId'), language);
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#raters`, coachText(c, 'flash.round.raterLanguage', { email: invitation.email, language }));
  });

  routes.post('/:id/raters/:invitationId/remove', async (c) => {
    const invitation = await removeRater(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('invitationId'));
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#raters`, coachText(c, 'flash.round.raterRemoved', { email: invitation.email }), 'info');
  });

  routes.post('/:id/launch', async (c) => {
    const sent = await rounds.launchRound(c.get('deps').db, mailContext(c.get('deps')), coachId(c), c.req.param('id'));
    c.get('deps').outbox.wake();
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}`, coachText(c, 'flash.round.launched', { count: sent }));
  });

  routes.post('/:id/remind', async (c) => {
    const sent = await remindNow(c.get('deps').db, mailContext(c.get('deps')), coachId(c), c.req.param('id'));
    c.get('deps').outbox.wake();
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}`, sent ? coachText(c, 'flash.round.reminded', { count: sent }) : coachText(c, 'flash.round.noReminder'), sent ? 'success' : 'info');
  });

  routes.post(
    '/:id/deadline',
    validForm(deadlineSchema, (c, values, errors) => renderRoundPage(c, c.req.param('id') ?? '', { values, errors })),
    async (c) => {
      const { db, clock } = c.get('deps');
      const day = c.req.valid('form').deadlineDay;
      return orRerender(
        async () => {
          const round = await rounds.changeDeadline(db, clock, coachId(c), c.req.param('id'), day);
          return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.deadlineMoved', { day: formatDay(round.deadline, signedInCoach(c).language) }));
        },
        (errors) => renderRoundPage(c, c.req.param('id'), { values: { deadlineDay: day }, errors }),
      );
    },
  );

  routes.post('/:id/close', async (c) => {
    await rounds.closeRound(c.get('deps').db, c.get('deps').clock, coachId(c), c.req.param('id'));
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}`, coachText(c, 'flash.round.closed'));
  });

  const renderReopen = async (c: Context<AppEnv>, values: FormValues, errors: FieldErrors) => {
    const overview = await roundOverview(c.get('deps').db, coachId(c), c.req.param('id') ?? '');
    return render(c, 'rounds/reopen', { title: coachText(c, 'roundPage.reopen.title'), round: overview.round, engagement: overview.engagement, values, errors }, Object.keys(errors).length ? 422 : 200);
  };
  routes.get('/:id/reopen', (c) => renderReopen(c, { deadlineDay: dayOf(new Date(c.get('deps').clock.now().getTime() + 7 * 86_400_000)) }, {}));
  routes.post('/:id/reopen', validForm(deadlineSchema, renderReopen), async (c) => {
    const { db, clock } = c.get('deps');
    const day = c.req.valid('form').deadlineDay;
    return orRerender(
      async () => {
        const round = await rounds.reopenRound(db, clock, coachId(c), c.req.param('id'), day);
        return redirectWithFlash(c, `/rounds/${round.id}`, coachText(c, 'flash.round.reopened', { day: formatDay(round.deadline, signedInCoach(c).language) }));
      },
      (errors) => renderReopen(c, { deadlineDay: day }, errors),
    );
  });

  routes.post('/:id/nomination', async (c) => {
    await requestNomination(c.get('deps').db, mailContext(c.get('deps')), coachId(c), c.req.param('id'));
    c.get('deps').outbox.wake();
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#nominations`, coachText(c, 'flash.round.nominationAsked'));
  });

  routes.post('/:id/nominations/approve', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const chosen = body.nomination;
    const ids = chosen === undefined ? 'all' : (Array.isArray(chosen) ? chosen : [chosen]).filter((id): id is string => typeof id === 'string');
    const added = await approveNominations(c.get('deps').db, mailContext(c.get('deps')), coachId(c), c.req.param('id'), ids);
    c.get('deps').outbox.wake();
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#nominations`, coachText(c, 'flash.round.nominationsApproved', { count: added }));
  });

  routes.post('/:id/nominations/:nominationId/reject', async (c) => {
    await rejectNomination(c.get('deps').db, coachId(c), c.req.param('id'), c.req.param('nominationId'));
    return redirectWithFlash(c, `/rounds/${c.req.param('id')}#nominations`, coachText(c, 'flash.round.nominationSetAside'), 'info');
  });

  routes.post(
    '/:id/nominations/:nominationId/edit',
    validForm(raterSchema, (c, values, errors) => renderRoundPage(c, c.req.param('id') ?? '', { values, errors })),
    async (c) => {
      const form = c.req.valid('form');
      const resolved = await resolveRaterGroup(c, form);
      if (resolved instanceof Response) return resolved;
      await editNomination(c.get('deps').db, coachId(c), resolved.round.id, c.req.param('nominationId'), { email: form.email, name: form.name, groupKey: resolved.groupKey });
      return redirectWithFlash(c, `/rounds/${resolved.round.id}#nominations`, coachText(c, 'flash.round.nominationUpdated'));
    },
  );

  return routes;
}

/** One rater as a CSV line, quoting the name so commas in it survive. */
function csvLine(email: string, name: string, groupKey: string, language = ''): string {
  return `${email},"${name.replace(/"/g, '""')}",${groupKey},${language}`;
}
