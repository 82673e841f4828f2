import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { BadRequestError, type FieldErrors } from '../errors';
import { Phrase } from '../i18n/phrase';
import { isLanguage, LANGUAGE_NAMES } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import type { AppEnv } from '../http/context';
import { text } from '../http/fields';
import { mailContext } from '../http/mail-context';
import { MissLimiter } from '../http/rate-limit';
import { render } from '../http/render';
import { SharedPages } from '../http/shared-pages';
import { itemCount } from '../questionnaires/questionnaire-definition';
import { formatDay, type Views } from '../views';
import { ANSWER_SECONDS, confidentialityPromise, privacyPath, raterMessage, relationshipPhrase, surveyHeading } from '../rounds/round-emails';
import { LaunchedRounds } from './launched-rounds';
import { answeredCount, NOTICE_FIELD, readSurveyForm, SWITCH_LANGUAGE_FIELD } from './survey-form';
import { privacyNoticeVersion } from '../privacy/privacy.service';
import type { Answers } from './survey.repository';
import * as surveys from './survey.service';
import type { Survey } from './survey.service';

const declineSchema = z.object({ reason: text(1000, 'Your reason') });

/** The intro every survey page starts with, in the survey's language. */
function surveyIntro(t: Translator, survey: Survey) {
  return {
    heading: surveyHeading(t, survey.round.purpose, survey.group.self, survey.clientName),
    clientName: survey.clientName,
    coachName: survey.coach.name,
    coachEmail: survey.coach.email,
    message: raterMessage(survey.round, survey.group),
    deadline: formatDay(survey.round.deadline, survey.language),
    promise: confidentialityPromise(t, survey.group, survey.round.k, survey.clientName),
    minutes: survey.minutes,
    relationship: relationshipPhrase(t, survey.group),
    isSelf: survey.group.self,
    notAnonymous: !survey.group.anonymous && !survey.group.self,
    followUp: survey.round.purpose === 'evaluation',
    pulse: survey.round.purpose === 'pulse',
  };
}

/** What every survey page's template needs besides its own: the layout, the language, the intro. */
function surveyLayout(c: Context<AppEnv>, survey: Survey, titleKey: string) {
  const t = c.get('deps').views.translator(survey.language);
  return { layout: 'survey', language: survey.language, title: t.t(titleKey, { client: survey.clientName }), intro: surveyIntro(t, survey) };
}

/** Every item with its options and the rater's answer so far. */
function questionsModel(survey: Survey, answers: Answers | undefined, errors: FieldErrors) {
  const { scale } = survey.questionnaire;
  const firstError = Object.keys(errors)[0];
  return {
    naLabel: scale.naLabel,
    competencies: survey.questionnaire.competencies.map((competency) => ({
      ...competency,
      items: competency.items.map((item) => {
        const answer = answers?.ratings[item.id];
        return {
          ...item,
          options: scale.labels.map((label, index) => ({ value: index + 1, label, checked: answer === index + 1 })),
          naChecked: answer === null,
          error: errors[item.id],
          focus: firstError === item.id,
        };
      }),
    })),
  };
}

/** Every item with its options and the rater's answer so far, as HTML. */
function questionsHtml(views: Views, survey: Survey, answers: Answers | undefined, errors: FieldErrors): string {
  return views.fragment('survey/questions', questionsModel(survey, answers, errors));
}

/**
 * static/survey.js's words: survey.script.<key> in the catalogues, each with the {placeholders} the
 * script fills in itself (they are passed through as written).
 */
const SCRIPT_WORDS: Record<string, string[]> = {
  competency: ['number', 'total'],
  optional: [],
  lastStep: [],
  back: [],
  next: [],
  review: [],
  reviewHeading: [],
  reviewFinal: [],
  allAnswered: [],
  underAMinute: [],
  minuteLeft: [],
  minutesLeft: ['minutes'],
  allStatements: ['total'],
  someStatements: ['answered', 'total', 'na'],
  stepAnswered: ['done', 'total'],
  stepToGo: ['left'],
  stepWritten: ['written', 'total'],
  saving: [],
  saved: [],
  notSaved: [],
};

/** The words static/survey.js writes into the page, in the survey's language (a data attribute: the script holds no text). */
function scriptWords(t: Translator): string {
  let words = scriptWordsByTranslator.get(t);
  if (words === undefined) {
    words = JSON.stringify(
      Object.fromEntries(Object.entries(SCRIPT_WORDS).map(([key, names]) => [key, t.t(`survey.script.${key}`, Object.fromEntries(names.map((name) => [name, `{${name}}`])))])),
    );
    scriptWordsByTranslator.set(t, words);
  }
  return words;
}

// The same for every page in a language (a translator per language lives as long as the app).
const scriptWordsByTranslator = new WeakMap<Translator, string>();

/**
 * The survey page model but for its questions (see questionsHtml) and the rater's link: the intro,
 * the open questions and the progress.
 */
async function surveyPageWithoutQuestions(c: Context<AppEnv>, survey: Survey, answers: Answers | undefined, errors: FieldErrors, noticeRead = false) {
  const { views, db } = c.get('deps');
  const t = views.translator(survey.language);
  const total = itemCount(survey.questionnaire);
  const firstError = Object.keys(errors)[0];
  const itemErrors = survey.questionnaire.competencies.flatMap((competency) => competency.items.filter((item) => errors[item.id]));
  const warning = await surveys.languageWarning(db, survey);
  return {
    ...surveyLayout(c, survey, survey.round.purpose === 'pulse' ? 'survey.title.pulse' : survey.group.self ? 'survey.title.self' : 'survey.title.feedback'),
    scripts: ['survey.js'],
    privacyPath: privacyPath(survey.language),
    naLabel: survey.questionnaire.scale.naLabel,
    answerSeconds: ANSWER_SECONDS,
    scriptWords: scriptWords(t),
    languageSwitch: survey.launched.languages.filter((language) => language !== survey.language).map((language) => ({ language, name: LANGUAGE_NAMES[language] })),
    languageWarning: warning
      ? t.t('survey.languageWarning', {
          count: warning.raters,
          language: t.t('questionnaire.languageName', { language: survey.language }),
          common: t.t('questionnaire.languageName', { language: warning.commonLanguage }),
        })
      : '',
    openQuestions: survey.questionnaire.openQuestions.map((question) => ({
      ...question,
      value: answers?.comments[question.id] ?? '',
      error: errors[`c.${question.id}`],
      focus: firstError === `c.${question.id}`,
    })),
    answered: answeredCount(answers),
    total,
    noticeRead,
    noticeError: errors[NOTICE_FIELD],
    errorCount: Object.keys(errors).length,
    errorLinks: [
      ...(errors[NOTICE_FIELD] ? [{ href: '#notice', text: errors[NOTICE_FIELD] }] : []),
      ...itemErrors.map((item) => ({ href: `#q-${item.id}`, text: `${item.text} ${errors[item.id]}` })),
      ...survey.questionnaire.openQuestions.filter((question) => errors[`c.${question.id}`]).map((question) => ({ href: `#c-${question.id}`, text: errors[`c.${question.id}`] })),
    ],
  };
}

/** The survey page as a rater left it: their answers, and what needs correcting. */
async function surveyPage(c: Context<AppEnv>, survey: Survey, answers: Answers | undefined, errors: FieldErrors, noticeRead = false) {
  return {
    ...(await surveyPageWithoutQuestions(c, survey, answers, errors, noticeRead)),
    token: c.req.param('token'),
    questionsHtml: questionsHtml(c.get('deps').views, survey, answers, errors),
  };
}

function renderStatusPage(c: Context<AppEnv>, survey: Survey, status: 409 | 200 = 200) {
  return render(c, `survey/${survey.status}`, surveyLayout(c, survey, 'survey.title.generic'), status);
}

export function surveyRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Guessing links: 30 misses per address in 10 minutes is far more than a person mistyping a URL.
  const misses = new MissLimiter();
  const launchedRounds = new LaunchedRounds();
  // A survey as a rater first opens it, and the thanks after it, are the same for every rater of a group in a language.
  const sharedPages = new SharedPages();
  const load = async (c: Context<AppEnv>): Promise<Survey> => {
    const survey = await misses.lookup(c, () => surveys.findSurvey(c.get('deps').db, c.get('deps').clock, c.req.param('token') ?? '', launchedRounds));
    // An error from here on (an answer sent twice, a form too large) is shown in the survey's language.
    c.set('readerLanguage', survey.language);
    return survey;
  };

  routes.get('/:token', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey);
    const { db, clock } = c.get('deps');
    const draft = await surveys.openSurvey(db, clock, survey);
    if (draft) return render(c, 'survey/form', await surveyPage(c, survey, draft, {}));
    // The questions without answers depend on the questionnaire frozen at launch and the language (in the page's data).
    const questions = { key: `${survey.round.id}@${survey.round.launchedAt}`, data: () => ({ questionsHtml: questionsHtml(c.get('deps').views, survey, undefined, {}) }) };
    return sharedPages.respond(c, 'survey/form', await surveyPageWithoutQuestions(c, survey, undefined, {}), { token: c.req.param('token') }, questions);
  });

  routes.post('/:token', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey, 409);
    const { db } = c.get('deps');
    const body = await c.req.parseBody();
    const t = c.get('deps').views.translator(survey.language);
    const switchTo = body[SWITCH_LANGUAGE_FIELD];
    if (switchTo !== undefined) {
      // A language button: keep what is answered (as the draft), then show the page in that language.
      if (!isLanguage(switchTo)) throw new BadRequestError(new Phrase('error.survey.chooseOfferedLanguage'));
      const form = readSurveyForm(body, survey.questionnaire, false, t);
      await surveys.switchSurveyLanguage(db, survey, form.answers, switchTo);
      const switched = { ...survey, language: switchTo, questionnaire: survey.launched.questionnaireIn(switchTo) };
      return render(c, 'survey/form', await surveyPage(c, switched, form.answers, {}, form.noticeRead));
    }
    const intent = body.intent === 'save' ? 'save' : 'submit';
    const form = readSurveyForm(body, survey.questionnaire, intent === 'submit', t);
    if (Object.keys(form.errors).length) return render(c, 'survey/form', await surveyPage(c, survey, form.answers, form.errors, form.noticeRead), 422);
    if (intent === 'save') {
      await surveys.saveSurveyDraft(db, survey, form.answers);
      return render(c, 'survey/saved', { ...surveyLayout(c, survey, 'survey.title.saved'), token: c.req.param('token'), answered: answeredCount(form.answers) });
    }
    await surveys.submitSurvey(db, mailContext(c.get('deps')), survey, form.answers, await privacyNoticeVersion(db));
    c.get('deps').outbox.wake();
    return sharedPages.respond(c, 'survey/thanks', surveyLayout(c, survey, 'survey.title.thanks'));
  });

  /** Autosave from the page's script: the same validation, a small JSON answer. */
  routes.post('/:token/draft', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return c.json({ error: { code: 'conflict', message: 'This survey can no longer be changed.' } }, 409);
    const form = readSurveyForm(await c.req.parseBody(), survey.questionnaire, false, c.get('deps').views.translator(survey.language));
    if (Object.keys(form.errors).length) return c.json({ error: { code: 'invalid', message: 'Some answers could not be saved.', details: form.errors } }, 422);
    await surveys.saveSurveyDraft(c.get('deps').db, survey, form.answers);
    return c.json({ saved: true, answered: answeredCount(form.answers) });
  });

  routes.get('/:token/decline', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey);
    return render(c, 'survey/decline', { ...surveyLayout(c, survey, 'survey.title.decline'), token: c.req.param('token'), values: {}, errors: {} });
  });

  routes.post('/:token/decline', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey, 409);
    const parsed = declineSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      return render(
        c,
        'survey/decline',
        { ...surveyLayout(c, survey, 'survey.title.decline'), token: c.req.param('token'), values: {}, errors: { reason: c.get('deps').views.translator(survey.language).t(parsed.error.issues[0]?.code === 'too_big' ? 'survey.decline.tooLong' : 'survey.error.characters', { maximum: 1000 }) } },
        422,
      );
    }
    await surveys.declineSurvey(c.get('deps').db, c.get('deps').clock, survey, parsed.data.reason);
    return render(c, 'survey/declined-now', surveyLayout(c, survey, 'survey.title.declined'));
  });

  return routes;
}
