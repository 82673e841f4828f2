import { BadRequestError, type FieldErrors } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { Translator } from '../i18n/translator';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { Answers } from './survey.repository';

export const MAX_COMMENT_CHARACTERS = 5000;
const NOT_ABLE_TO_RATE = 'na';
/** The checkbox by which a rater confirms the privacy notice before their answers are submitted. */
export const NOTICE_FIELD = 'notice';
/** The buttons that switch the survey's language (name="switchLanguage" value="fr"): they save the answers first. */
export const SWITCH_LANGUAGE_FIELD = 'switchLanguage';

export interface SurveyForm {
  answers: Answers;
  /** The rater ticked "I have read how my answers are used". */
  noticeRead: boolean;
  /** By item id or `c.<question id>`: what to fix, in the words shown next to the field. */
  errors: FieldErrors;
}

/**
 * Reads the posted survey. Field names are `r.<item id>` (a scale point or "na"),
 * `c.<open question id>` and `notice` (the privacy notice confirmed: "read"; required to submit). A name that is not in this round's questionnaire cannot come from our
 * form, so it is refused outright; a value out of range or a missing answer is the rater's to fix.
 * Messages are in the survey's language (`t`), the questionnaire in the same language.
 */
export function readSurveyForm(body: Record<string, unknown>, questionnaire: QuestionnaireDefinition, requireAll: boolean, t: Translator): SurveyForm {
  const { items, questions } = fieldsOf(questionnaire);
  const answers: Answers = { ratings: {}, comments: {} };
  const errors: FieldErrors = {};
  let noticeRead = false;

  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === 'intent' || name === SWITCH_LANGUAGE_FIELD) continue;
    if (name === NOTICE_FIELD) {
      noticeRead = value === 'read';
      continue;
    }
    const [kind, id = ''] = [name.slice(0, 2), name.slice(2)];
    if (kind === 'r.' && items.has(id)) {
      const rating = ratingOf(value, questionnaire.scale.points);
      if (rating === undefined) errors[id] = t.t('survey.error.option');
      else answers.ratings[id] = rating;
    } else if (kind === 'c.' && questions.has(id)) {
      if (typeof value !== 'string') {
        errors[`c.${id}`] = t.t('survey.error.unreadable');
        continue;
      }
      const text = value.replace(/\r\n/g, '\n').trim();
      if (text.length > MAX_COMMENT_CHARACTERS) {
        errors[`c.${id}`] = t.t('survey.error.tooLong', { length: text.length, maximum: MAX_COMMENT_CHARACTERS });
      } else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) {
        errors[`c.${id}`] = t.t('survey.error.characters');
      }
      answers.comments[id] = text;
    } else {
      throw new BadRequestError(new Phrase('error.survey.formMismatch'));
    }
  }
  if (requireAll && !noticeRead) errors[NOTICE_FIELD] = t.t('survey.error.notice');
  if (requireAll) {
    for (const id of items) {
      if (!(id in answers.ratings) && !errors[id]) errors[id] = t.t('survey.error.unanswered', { na: questionnaire.scale.naLabel });
    }
  }
  return { answers, errors, noticeRead };
}

interface QuestionnaireFields {
  items: ReadonlySet<string>;
  questions: ReadonlySet<string>;
}

// A launched round's questionnaire is one shared, unchanging object, so its field names are
// worked out once rather than on every submission.
const fieldsByQuestionnaire = new WeakMap<QuestionnaireDefinition, QuestionnaireFields>();

function fieldsOf(questionnaire: QuestionnaireDefinition): QuestionnaireFields {
  let fields = fieldsByQuestionnaire.get(questionnaire);
  if (!fields) {
    fields = {
      items: new Set(questionnaire.competencies.flatMap((competency) => competency.items.map((item) => item.id))),
      questions: new Set(questionnaire.openQuestions.map((question) => question.id)),
    };
    fieldsByQuestionnaire.set(questionnaire, fields);
  }
  return fields;
}

function ratingOf(value: unknown, points: number): number | null | undefined {
  if (value === NOT_ABLE_TO_RATE) return null;
  if (typeof value !== 'string' || !/^[1-9]$/.test(value)) return undefined;
  const rating = Number(value);
  return rating <= points ? rating : undefined;
}

export function answeredCount(answers: Answers | undefined): number {
  return answers ? Object.keys(answers.ratings).length : 0;
}
