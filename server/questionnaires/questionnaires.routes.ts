import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { BadRequestError, InvalidError, type FieldErrors } from '../errors';
import type { AppEnv } from '../http/context';
import { requiredText, text } from '../http/fields';
import { redirectWithFlash } from '../http/flash';
import { orRerender, validForm, type FormValues } from '../http/forms';
import { pageLinks } from '../http/page-links';
import { render } from '../http/render';
import { decodeCursor } from '../lists';
import { signedInCoach } from '../http/session';
import {
  applyEditorAction,
  isEditorAction,
  draftFromDefinition,
  draftFromForm,
  editorErrors,
  inputFromDraft,
  type EditorDraft,
} from './questionnaire-form';
import { itemCount, toExportDocument, whyNotUsable } from './questionnaire-definition';
import type { Questionnaire } from './questionnaires.types';
import * as questionnaires from './questionnaires.service';

const newQuestionnaireSchema = z.object({
  name: requiredText(200, 'Name'),
  description: text(2000, 'Description'),
  points: z.enum(['4', '5', '6', '7'], { error: 'Choose 4, 5, 6 or 7 points.' }).transform(Number),
});

const MAX_IMPORT_CHARACTERS = 1_000_000;
const QUESTIONNAIRE_PAGE_SIZE = 25;

function summary(questionnaire: Questionnaire) {
  return {
    ...questionnaire,
    competencyCount: questionnaire.definition.competencies.length,
    itemCount: itemCount(questionnaire.definition),
    openQuestionCount: questionnaire.definition.openQuestions.length,
    points: questionnaire.definition.scale.points,
    notUsable: whyNotUsable(questionnaire.definition),
  };
}

function renderEditor(c: Context<AppEnv>, questionnaire: Questionnaire, draft: EditorDraft, errors: FieldErrors) {
  return render(
    c,
    'questionnaires/edit',
    {
      title: `Edit ${questionnaire.name}`,
      questionnaire,
      draft,
      pointOptions: [4, 5, 6, 7].map((points) => ({ points, selected: String(points) === draft.scalePoints })),
      errors,
      hasErrors: Object.keys(errors).length > 0,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

function renderImport(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  return render(c, 'questionnaires/import', { title: 'Import a questionnaire', values, errors }, Object.keys(errors).length ? 422 : 200);
}

async function readImportedText(body: Record<string, unknown>): Promise<string> {
  const file = body.file;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_IMPORT_CHARACTERS) throw new InvalidError('The file is too large.', { file: 'The file is larger than 1 MB.' });
    return file.text();
  }
  const pasted = typeof body.json === 'string' ? body.json : '';
  if (pasted.length > MAX_IMPORT_CHARACTERS) throw new InvalidError('The text is too long.', { json: 'The text is longer than 1 MB.' });
  if (!pasted.trim()) throw new InvalidError('Nothing to import.', { file: 'Choose a JSON file, or paste its content below.' });
  return pasted;
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
      title: 'Questionnaires',
      questionnaires: page.items.map(summary),
      ...pageLinks('/questionnaires', filters, { cursor, next: page.next }),
      search,
      archived,
    });
  });

  routes.get('/new', (c) =>
    render(c, 'questionnaires/new', { title: 'New questionnaire', values: { points: '5' }, errors: {} }),
  );

  routes.post(
    '/',
    validForm(newQuestionnaireSchema, (c, values, errors) =>
      render(c, 'questionnaires/new', { title: 'New questionnaire', values, errors }, 422),
    ),
    async (c) => {
      const { db, clock } = c.get('deps');
      const created = await questionnaires.createQuestionnaire(db, clock, signedInCoach(c).id, c.req.valid('form'));
      return redirectWithFlash(c, `/questionnaires/${created.id}/edit`, 'Questionnaire created. Add its competencies and items.');
    },
  );

  routes.get('/import', (c) => renderImport(c, {}, {}));

  routes.post('/import', async (c) => {
    const { db, clock } = c.get('deps');
    const body = await c.req.parseBody();
    return orRerender(
      async () => {
        const imported = await questionnaires.importQuestionnaire(db, clock, signedInCoach(c).id, await readImportedText(body));
        return redirectWithFlash(c, `/questionnaires/${imported.id}`, `Imported "${imported.name}".`);
      },
      (errors) => renderImport(c, { json: typeof body.json === 'string' ? body.json : '' }, errors),
    );
  });

  routes.get('/:id', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    return render(c, 'questionnaires/show', { title: questionnaire.name, questionnaire: summary(questionnaire) });
  });

  routes.get('/:id/export', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    const filename = `${questionnaire.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'questionnaire'}.json`;
    c.header('Content-Disposition', `attachment; filename="${filename}"`);
    return c.json(toExportDocument(questionnaire.definition));
  });

  routes.post('/:id/copy', async (c) => {
    const { db, clock } = c.get('deps');
    const copy = await questionnaires.copyQuestionnaire(db, clock, signedInCoach(c).id, c.req.param('id'));
    return redirectWithFlash(c, `/questionnaires/${copy.id}/edit`, `Copied. You are editing "${copy.name}".`);
  });

  routes.get('/:id/edit', async (c) => {
    const questionnaire = await questionnaires.getQuestionnaire(c.get('deps').db, signedInCoach(c).id, c.req.param('id'));
    if (questionnaire.builtin) {
      return redirectWithFlash(c, `/questionnaires/${questionnaire.id}`, 'The built-in questionnaire cannot be changed. Copy it to adapt it.', 'info');
    }
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
        await questionnaires.saveQuestionnaire(db, clock, coachId, questionnaire.id, inputFromDraft(draft));
        // Come back to the competency or question the button was on.
        const target = action === 'save' ? '' : `#${(action.split(':')[1] ?? '').split('.i.')[0]!.replace('.', '-')}`;
        return redirectWithFlash(c, `/questionnaires/${questionnaire.id}/edit${target}`, 'Saved.');
      },
      (errors) => renderEditor(c, questionnaire, draft, editorErrors(errors)),
    );
  });

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    routes.post(`/:id/${action}`, async (c) => {
      const { db, clock } = c.get('deps');
      const questionnaire = await questionnaires.setQuestionnaireArchived(db, clock, signedInCoach(c).id, c.req.param('id'), archived);
      return redirectWithFlash(c, `/questionnaires/${questionnaire.id}`, archived ? 'Questionnaire archived.' : 'Questionnaire restored.');
    });
  }

  return routes;
}
