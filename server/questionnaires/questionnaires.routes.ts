import { create as contentDisposition } from 'content-disposition';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { BadRequestError, InvalidError, NotFoundError, type FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { requiredText, saying, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { pageLinks } from '../http/page-links';
import { render } from '../http/render';
import { decodeCursor } from '../lists';
import { signedInCoach } from '../http/session';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import {
  applyEditorAction,
  isEditorAction,
  draftFromDefinition,
  draftFromForm,
  editorErrors,
  inputFromDraft,
  type EditorDraft,
} from './questionnaire-form';
import { translationsCsv, MAX_LISTED_PROBLEMS, type TableProblem } from './questionnaire-csv';
import { itemCount, toExportDocument, unusableReason } from './questionnaire-definition';
import { coveredLanguages, localizedQuestionnaire, missingTranslations, questionnaireTexts, sourceLanguageOf } from './questionnaire-languages';
import type { Questionnaire } from './questionnaires.types';
import * as questionnaires from './questionnaires.service';
import { readTranslationForm, translationSections, type TranslationForm } from './translation-form';
import { coachText } from '../auth/coach-text';

const newQuestionnaireSchema = z.object({
  name: requiredText(200, 'Name'),
  description: text(2000, 'Description'),
  points: z.enum(['4', '5', '6', '7'], saying('validation.points')).transform(Number),
  language: z.enum(LANGUAGES).default(SOURCE_LANGUAGE),
});

/** A form's spreadsheet problem that is not in the file: no file chosen, or one too large. */
type ImportProblem = TableProblem | { code: 'noFile' | 'tooLarge' };

const MAX_IMPORT_CHARACTERS = 1_000_000;
const QUESTIONNAIRE_PAGE_SIZE = 25;

function summary(questionnaire: Questionnaire) {
  return {
    ...questionnaire,
    competencyCount: questionnaire.definition.competencies.length,
    itemCount: itemCount(questionnaire.definition),
    openQuestionCount: questionnaire.definition.openQuestions.length,
    points: questionnaire.definition.scale.points,
    notUsable: unusableReason(questionnaire.definition),
  };
}

/** A copy is named in the coach's language ("Leadership 360 (copie)"), as if they had typed it. */
function coachCopyName(c: Context<AppEnv>): questionnaires.CopyNamer {
  return (name) => coachText(c, 'questionnaires.copyName', { name });
}

/** A file name for a download of the questionnaire ("leadership-360-translations.csv"). */
function attachment(questionnaire: Questionnaire, suffix: string, extension: string): string {
  const slug = questionnaire.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'questionnaire';
  return contentDisposition(`${slug}${suffix}.${extension}`);
}

/** Each language with what it lacks, the questionnaire's own first: the Languages card of its page. */
function languagesView(questionnaire: Questionnaire) {
  const { definition, id } = questionnaire;
  const own = sourceLanguageOf(definition);
  return [own, ...LANGUAGES.filter((language) => language !== own)].map((language) => {
    const missing = missingTranslations(definition, language);
    return {
      language,
      name: LANGUAGE_NAMES[language],
      own: language === own,
      missing,
      previewHref: language === own ? `/questionnaires/${id}#languages` : `/questionnaires/${id}?language=${language}#languages`,
      translateHref: questionnaire.builtin || language === own ? null : `/questionnaires/${id}/translations/${language}`,
    };
  });
}

/** The questionnaire's page, in its own language or, as a preview, in `previewLanguage` (texts not translated yet in its own). */
function renderQuestionnaire(c: Context<AppEnv>, questionnaire: Questionnaire, previewLanguage: string | undefined, importProblems: ImportProblem[] = []) {
  const own = sourceLanguageOf(questionnaire.definition);
  const preview = isLanguage(previewLanguage) && previewLanguage !== own ? previewLanguage : null;
  return render(
    c,
    'questionnaires/show',
    {
      title: questionnaire.name,
      questionnaire: summary(questionnaire),
      shown: preview ? localizedQuestionnaire(questionnaire.definition, preview, { fallBackToSource: true }) : { ...questionnaire.definition, language: own },
      own,
      preview: preview && { language: preview, name: LANGUAGE_NAMES[preview], fallbacks: missingTranslations(questionnaire.definition, preview).length },
      languages: languagesView(questionnaire),
      importProblems: importProblems.slice(0, MAX_LISTED_PROBLEMS),
      moreProblems: Math.max(0, importProblems.length - MAX_LISTED_PROBLEMS),
    },
    importProblems.length ? 422 : 200,
  );
}

function renderEditor(c: Context<AppEnv>, questionnaire: Questionnaire, draft: EditorDraft, errors: FieldErrors) {
  const texts = questionnaireTexts(questionnaire.definition);
  // A language the questionnaire is translated into cannot become its own: it would translate itself.
  const languageOptions = LANGUAGES.filter((language) => language === draft.language || !texts.some((text) => text.translations[language])).map((language) => ({
    language,
    name: LANGUAGE_NAMES[language],
    selected: language === draft.language,
  }));
  return render(
    c,
    'questionnaires/edit',
    {
      title: coachText(c, 'questionnaires.editor.title', { name: questionnaire.name }),
      questionnaire,
      draft,
      languageOptions,
      pointOptions: [4, 5, 6, 7].map((points) => ({ points, selected: String(points) === draft.scalePoints })),
      errors,
      hasErrors: Object.keys(errors).length > 0,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

function renderTranslations(c: Context<AppEnv>, questionnaire: Questionnaire, language: Language, posted?: TranslationForm) {
  const { definition, id } = questionnaire;
  const own = sourceLanguageOf(definition);
  const hasProblems = Object.keys(posted?.problems ?? {}).length > 0;
  return render(
    c,
    'questionnaires/translations',
    {
      title: `${questionnaire.name} · ${coachText(c, 'questionnaire.translations.heading', { language: coachText(c, 'questionnaire.languageName', { language }) })}`,
      questionnaire,
      // Not `language`: that names the language the page itself is written in (server/views.ts).
      target: language,
      targetName: LANGUAGE_NAMES[language],
      own,
      tabs: LANGUAGES.filter((other) => other !== own).map((other) => ({
        language: other,
        name: LANGUAGE_NAMES[other],
        current: other === language,
        href: `/questionnaires/${id}/translations/${other}`,
        missing: missingTranslations(definition, other).length,
      })),
      sections: translationSections(definition, language, posted),
      hasProblems,
    },
    hasProblems ? 422 : 200,
  );
}

/** The coach's own questionnaire and a language it can be translated into, from the path; a built-in one cannot be. */
async function translatable(c: Context<AppEnv>): Promise<{ questionnaire: Questionnaire; language: Language } | Response> {
  const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id') ?? '');
  const language = c.req.param('language');
  if (!isLanguage(language)) throw new NotFoundError();
  if (questionnaire.builtin) return redirectWithFlash(c, `/questionnaires/${questionnaire.id}`, coachText(c, 'questionnaire.flash.builtinReadOnly'), 'info');
  if (language === sourceLanguageOf(questionnaire.definition)) return c.redirect(`/questionnaires/${questionnaire.id}/edit`, 303);
  return { questionnaire, language };
}

function renderNew(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  const languageOptions = LANGUAGES.map((language) => ({ language, name: LANGUAGE_NAMES[language], selected: language === (values.language ?? signedInCoach(c).language) }));
  return render(c, 'questionnaires/new', { title: coachText(c, 'questionnaires.new.title'), values, errors, languageOptions }, Object.keys(errors).length ? 422 : 200);
}

function renderImport(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  return render(c, 'questionnaires/import', { title: coachText(c, 'questionnaires.import.title'), values, errors }, Object.keys(errors).length ? 422 : 200);
}

/** The questionnaire's JSON from the chosen file or the pasted text; what is wrong with them is said in the coach's language. */
async function readImportedText(c: Context<AppEnv>, body: Record<string, unknown>): Promise<string> {
  const file = body.file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_IMPORT_CHARACTERS) throw new InvalidError('The file is too large.', { file: coachText(c, 'questionnaire.csv.tooLarge') });
    return file.text();
  }
  const pasted = typeof body.json === 'string' ? body.json : '';
  if (pasted.length > MAX_IMPORT_CHARACTERS) throw new InvalidError('The text is too long.', { json: coachText(c, 'questionnaires.import.textTooLarge') });
  if (!pasted.trim()) throw new InvalidError('Nothing to import.', { file: coachText(c, 'questionnaires.import.nothing') });
  return pasted;
}

/** The imported text read as JSON; the parser's own detail of where it is not JSON stays as the parser words it. */
function parsedImport(c: Context<AppEnv>, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InvalidError('The file is not valid JSON.', { file: coachText(c, 'questionnaires.import.notJson', { detail: (error as Error).message }) });
  }
}

export function questionnaireRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const archived = c.req.query('archived') === '1';
    const search = (c.req.query('q') ?? '').slice(0, 200);
    const cursor = c.req.query('cursor');
    const after = decodeCursor(cursor, questionnaires.QUESTIONNAIRE_POSITION);
    const page = await questionnaires.listQuestionnaires(c.get('deps').db, signedInCoach(c).id, { archived, search }, { after, limit: QUESTIONNAIRE_PAGE_SIZE });
    const filters = { ...(search ? { q: search } : {}), ...(archived ? { archived: '1' } : {}) };
    return render(c, 'questionnaires/list', {
      title: coachText(c, archived ? 'questionnaires.list.archivedTitle' : 'questionnaires.list.title'),
      questionnaires: page.items.map(summary),
      ...pageLinks('/questionnaires', filters, { cursor, next: page.next }),
      search,
      archived,
    });
  });

  // A new questionnaire is written in the coach's own language unless they choose another.
  routes.get('/new', (c) => renderNew(c, { points: '5', language: signedInCoach(c).language }, {}));

  routes.post(
    '/',
    validForm(newQuestionnaireSchema, renderNew),
    async (c) => {
      const { db, clock } = c.get('deps');
      const created = await questionnaires.createQuestionnaire(db, clock, signedInCoach(c).id, c.req.valid('form'));
      return redirectWithFlash(c, `/questionnaires/${created.id}/edit`, coachText(c, 'flash.questionnaire.created'));
    },
  );

  routes.get('/import', (c) => renderImport(c, {}, {}));

  routes.post('/import', async (c) => {
    const { db, clock } = c.get('deps');
    const body = await c.req.parseBody();
    return orRerender(
      async () => {
        const imported = await questionnaires.importQuestionnaire(db, clock, signedInCoach(c).id, parsedImport(c, await readImportedText(c, body)));
        return redirectWithFlash(c, `/questionnaires/${imported.id}`, coachText(c, 'flash.questionnaire.imported', { name: imported.name }));
      },
      (errors) => renderImport(c, { json: typeof body.json === 'string' ? body.json : '' }, errors),
    );
  });

  routes.get('/:id', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    return renderQuestionnaire(c, questionnaire, c.req.query('language'));
  });

  routes.get('/:id/export', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    c.header('Content-Disposition', attachment(questionnaire, '', 'json'));
    return c.json(toExportDocument(questionnaire.definition));
  });

  routes.get('/:id/translations.csv', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    c.header('Content-Disposition', attachment(questionnaire, '-translations', 'csv'));
    return c.body(translationsCsv(questionnaire.definition), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  routes.post('/:id/translations/import', async (c) => {
    const { db, clock } = c.get('deps');
    const questionnaire = await questionnaires.getQuestionnaire(db, signedInCoach(c).id, c.req.param('id'));
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) return renderQuestionnaire(c, questionnaire, undefined, [{ code: 'noFile' }]);
    if (file.size > MAX_IMPORT_CHARACTERS) return renderQuestionnaire(c, questionnaire, undefined, [{ code: 'tooLarge' }]);
    const result = await questionnaires.importTranslations(db, clock, signedInCoach(c).id, questionnaire.id, await file.text(), coachCopyName(c));
    if (!result.ok) return renderQuestionnaire(c, questionnaire, undefined, result.problems);
    const message = result.copied
      ? coachText(c, 'questionnaire.flash.importedIntoCopy', { name: result.questionnaire.name, count: result.changed })
      : coachText(c, 'questionnaire.flash.imported', { count: result.changed });
    return redirectWithFlash(c, `/questionnaires/${result.questionnaire.id}#languages`, message, result.changed ? 'success' : 'info');
  });

  routes.get('/:id/translations', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    const covered = coveredLanguages(questionnaire.definition);
    const first = LANGUAGES.find((language) => !covered.includes(language)) ?? LANGUAGES.find((language) => language !== sourceLanguageOf(questionnaire.definition))!;
    return c.redirect(`/questionnaires/${questionnaire.id}/translations/${first}`, 303);
  });

  routes.get('/:id/translations/:language', async (c) => {
    const target = await translatable(c);
    return target instanceof Response ? target : renderTranslations(c, target.questionnaire, target.language);
  });

  routes.post('/:id/translations/:language', async (c) => {
    const { db, clock } = c.get('deps');
    const target = await translatable(c);
    if (target instanceof Response) return target;
    const { questionnaire, language } = target;
    const form = readTranslationForm(await c.req.parseBody(), questionnaire.definition);
    if (Object.keys(form.problems).length) return renderTranslations(c, questionnaire, language, form);
    const saved = await questionnaires.saveTranslations(db, clock, signedInCoach(c).id, questionnaire.id, language, form.texts);
    const message = coachText(c, 'questionnaire.flash.translationsSaved', {
      count: missingTranslations(saved.definition, language).length,
      language: coachText(c, 'questionnaire.languageName', { language }),
    });
    return redirectWithFlash(c, `/questionnaires/${questionnaire.id}/translations/${language}`, message);
  });

  routes.post('/:id/copy', async (c) => {
    const { db, clock } = c.get('deps');
    const copy = await questionnaires.copyQuestionnaire(db, clock, signedInCoach(c).id, c.req.param('id'), coachCopyName(c));
    return redirectWithFlash(c, `/questionnaires/${copy.id}/edit`, coachText(c, 'flash.questionnaire.copied', { name: copy.name }));
  });

  routes.get('/:id/edit', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    if (questionnaire.builtin) return redirectWithFlash(c, `/questionnaires/${questionnaire.id}`, coachText(c, 'questionnaire.flash.builtinReadOnly'), 'info');
    return renderEditor(c, questionnaire, draftFromDefinition(questionnaire.definition), {});
  });

  routes.post('/:id/edit', async (c) => {
    const { db, clock } = c.get('deps');
    const coachId = signedInCoach(c).id;
    const questionnaire = await questionnaires.getQuestionnaire(db, coachId, c.req.param('id'));
    const body = await c.req.parseBody();
    const action = typeof body.action === 'string' ? body.action : 'save';
    if (!isEditorAction(action)) throw new BadRequestError('Unknown editor action.');
    const draft = applyEditorAction(draftFromForm(body), action);
    return orRerender(
      async () => {
        const { droppedTranslations } = await questionnaires.saveQuestionnaire(db, clock, coachId, questionnaire.id, inputFromDraft(draft));
        // Come back to the competency or question the button was on.
        const target = action === 'save' ? '' : `#${(action.split(':')[1] ?? '').split('.i.')[0]!.replace('.', '-')}`;
        return redirectWithFlash(c, `/questionnaires/${questionnaire.id}/edit${target}`, coachText(c, 'questionnaire.flash.saved', { dropped: droppedTranslations }));
      },
      (errors) => renderEditor(c, questionnaire, draft, editorErrors(errors)),
    );
  });

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    routes.post(`/:id/${action}`, async (c) => {
      const { db, clock } = c.get('deps');
      const questionnaire = await questionnaires.setQuestionnaireArchived(db, clock, signedInCoach(c).id, c.req.param('id'), archived);
      return redirectWithFlash(c, `/questionnaires/${questionnaire.id}`, coachText(c, archived ? 'flash.questionnaire.archived' : 'flash.questionnaire.restored'));
    });
  }

  return routes;
}
