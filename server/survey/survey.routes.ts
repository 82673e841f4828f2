import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { text } from '../http/fields';
import { mailContext } from '../http/mail-context';
import { MissLimiter } from '../http/rate-limit';
import { render } from '../http/render';
import { itemCount } from '../questionnaires/questionnaire-definition';
import { formatDay, type Views } from '../views';
import { ANSWER_SECONDS, raterMessage, relationshipPhrase } from '../rounds/round-emails';
import { LaunchedRounds } from './launched-rounds';
import { answeredCount, NOTICE_FIELD, readSurveyForm } from './survey-form';
import { privacyNoticeVersion } from '../privacy/privacy.service';
import type { Answers } from './survey.repository';
import * as surveys from './survey.service';
import type { Survey } from './survey.service';

const declineSchema = z.object({ reason: text(1000, 'Your reason') });

function surveyIntro(survey: Survey) {
  return {
    clientName: survey.clientName,
    coachName: survey.coach.name,
    coachEmail: survey.coach.email,
    message: raterMessage(survey.round, survey.group),
    deadline: formatDay(survey.round.deadline),
    promise: survey.promise,
    minutes: survey.minutes,
    relationship: relationshipPhrase(survey.group),
    isSelf: survey.group.self,
    notAnonymous: !survey.group.anonymous && !survey.group.self,
    followUp: survey.round.purpose === 'evaluation',
    pulse: survey.round.purpose === 'pulse',
  };
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

/**
 * The questions are most of the page and most of its rendering time. Without answers or errors they
 * are the same for every rater of the round, so that version is rendered once per launched round.
 */
function questionsHtml(views: Views, survey: Survey, answers: Answers | undefined, errors: FieldErrors): string {
  if (answers || Object.keys(errors).length) return views.fragment('survey/questions', questionsModel(survey, answers, errors));
  survey.launched.blankQuestionsHtml ??= views.fragment('survey/questions', questionsModel(survey, undefined, {}));
  return survey.launched.blankQuestionsHtml;
}

/** The survey page model: the intro, the questions (as HTML), the open questions and the progress. */
function surveyPage(views: Views, survey: Survey, token: string, answers: Answers | undefined, errors: FieldErrors, noticeRead = false) {
  const total = itemCount(survey.questionnaire);
  const firstError = Object.keys(errors)[0];
  const itemErrors = survey.questionnaire.competencies.flatMap((competency) => competency.items.filter((item) => errors[item.id]));
  return {
    title: survey.round.purpose === 'pulse' ? 'Check-in' : survey.group.self ? 'Your self-assessment' : `Feedback for ${survey.clientName}`,
    layout: 'survey',
    scripts: ['survey.js'],
    token,
    intro: surveyIntro(survey),
    naLabel: survey.questionnaire.scale.naLabel,
    answerSeconds: ANSWER_SECONDS,
    questionsHtml: questionsHtml(views, survey, answers, errors),
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

function renderStatusPage(c: Context<AppEnv>, survey: Survey, status: 409 | 200 = 200) {
  return render(c, `survey/${survey.status}`, { title: 'Feedback', layout: 'survey', intro: surveyIntro(survey) }, status);
}

export function surveyRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Guessing links: 30 misses per address in 10 minutes is far more than a person mistyping a URL.
  const misses = new MissLimiter();
  const launchedRounds = new LaunchedRounds();
  const load = (c: Context<AppEnv>): Promise<Survey> =>
    misses.lookup(c, () => surveys.findSurvey(c.get('deps').db, c.get('deps').clock, c.req.param('token') ?? '', launchedRounds));

  routes.get('/:token', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey);
    const { db, clock } = c.get('deps');
    const draft = await surveys.openSurvey(db, clock, survey);
    return render(c, 'survey/form', surveyPage(c.get('deps').views, survey, c.req.param('token'), draft, {}));
  });

  routes.post('/:token', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey, 409);
    const { db } = c.get('deps');
    const body = await c.req.parseBody();
    const intent = body.intent === 'save' ? 'save' : 'submit';
    const form = readSurveyForm(body, survey.questionnaire, intent === 'submit');
    if (Object.keys(form.errors).length) return render(c, 'survey/form', surveyPage(c.get('deps').views, survey, c.req.param('token'), form.answers, form.errors, form.noticeRead), 422);
    if (intent === 'save') {
      await surveys.saveSurveyDraft(db, survey, form.answers);
      return render(c, 'survey/saved', { title: 'Saved', layout: 'survey', intro: surveyIntro(survey), token: c.req.param('token'), answered: answeredCount(form.answers) });
    }
    await surveys.submitSurvey(db, mailContext(c.get('deps')), survey, form.answers, await privacyNoticeVersion(db));
    c.get('deps').outbox.wake();
    return render(c, 'survey/thanks', { title: 'Thank you', layout: 'survey', intro: surveyIntro(survey) });
  });

  /** Autosave from the page's script: the same validation, a small JSON answer. */
  routes.post('/:token/draft', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return c.json({ error: { code: 'conflict', message: 'This survey can no longer be changed.' } }, 409);
    const form = readSurveyForm(await c.req.parseBody(), survey.questionnaire, false);
    if (Object.keys(form.errors).length) return c.json({ error: { code: 'invalid', message: 'Some answers could not be saved.', details: form.errors } }, 422);
    await surveys.saveSurveyDraft(c.get('deps').db, survey, form.answers);
    return c.json({ saved: true, answered: answeredCount(form.answers) });
  });

  routes.get('/:token/decline', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey);
    return render(c, 'survey/decline', { title: 'Decline', layout: 'survey', intro: surveyIntro(survey), token: c.req.param('token'), values: {}, errors: {} });
  });

  routes.post('/:token/decline', async (c) => {
    const survey = await load(c);
    if (survey.status !== 'open') return renderStatusPage(c, survey, 409);
    const parsed = declineSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      return render(
        c,
        'survey/decline',
        { title: 'Decline', layout: 'survey', intro: surveyIntro(survey), token: c.req.param('token'), values: {}, errors: { reason: parsed.error.issues[0]?.message } },
        422,
      );
    }
    await surveys.declineSurvey(c.get('deps').db, c.get('deps').clock, survey, parsed.data.reason);
    return render(c, 'survey/declined-now', { title: 'Declined', layout: 'survey', intro: surveyIntro(survey) });
  });

  return routes;
}
