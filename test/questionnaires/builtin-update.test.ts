import { describe, expect, it } from 'vitest';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import type { QuestionnaireDefinition } from '../../server/questionnaires/questionnaire-definition';
import { coveredLanguages, mapTranslations } from '../../server/questionnaires/questionnaire-languages';
import { ensureBuiltinQuestionnaires } from '../../server/questionnaires/questionnaires.service';
import { getRound } from '../../server/rounds/rounds.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { signedInCoachPerSuite } from '../helpers/suite';

/** Leadership 360 as the release before languages shipped it: English only, no language field. */
function englishOnly(): QuestionnaireDefinition {
  const { language: _language, ...definition } = mapTranslations(LEADERSHIP_360, () => ({}));
  return definition;
}

describe.each(DATABASE_KINDS)('updating the built-in questionnaire of an existing installation (%s)', (kind) => {
  const suite = signedInCoachPerSuite(kind);

  async function storedBuiltin() {
    return suite.context.db.selectFrom('questionnaires').select(['definition', 'updated_at']).where('id', '=', 'leadership-360').executeTakeFirstOrThrow();
  }

  async function snapshotOf(roundId: string): Promise<QuestionnaireDefinition> {
    return (await getRound(suite.context.db, suite.coach.id, roundId)).snapshot!;
  }

  it('replaces the built-in row and gives its translations to round snapshots with exactly its texts, once', async () => {
    const { db, clock } = suite.context;
    // The installation as the previous release left it.
    await db.updateTable('questionnaires').set({ definition: JSON.stringify(englishOnly()) }).where('id', '=', 'leadership-360').execute();
    const { round: open } = await createRoundWithRaters(suite.context, suite.coach, { peers: 3 });
    await launch(suite.context, suite.coach, open.id);
    const { round: reworded } = await createRoundWithRaters(suite.context, suite.coach, { peers: 3 });
    await launch(suite.context, suite.coach, reworded.id);
    const changed = englishOnly();
    changed.competencies[0]!.items[0]!.text = 'Describes a direction.';
    await db.updateTable('rounds').set({ questionnaire_snapshot: JSON.stringify(changed) }).where('id', '=', reworded.id).execute();
    const { round: draft } = await createRoundWithRaters(suite.context, suite.coach, { peers: 3 });
    const before = await snapshotOf(open.id);
    expect(coveredLanguages(before)).toEqual(['en']);

    clock.advanceMinutes(1);
    await ensureBuiltinQuestionnaires(db, clock);

    const builtin = await storedBuiltin();
    expect(JSON.parse(builtin.definition)).toEqual(LEADERSHIP_360);
    const after = await snapshotOf(open.id);
    expect(coveredLanguages(after)).toEqual(['en', 'fr', 'de', 'es', 'nl']);
    // What raters read and answered is the same: every English text, id and the scale.
    expect(mapTranslations(after, () => ({}))).toEqual({ ...before, language: 'en' });
    expect(questionnaireVersionOf(after)).toBe(questionnaireVersionOf(before));
    // A snapshot of other wording keeps what it had; a draft has no snapshot to change.
    expect(await snapshotOf(reworded.id)).toEqual(changed);
    expect((await getRound(db, suite.coach.id, draft.id)).snapshot).toBeNull();

    // Started again, nothing changes.
    clock.advanceMinutes(1);
    await ensureBuiltinQuestionnaires(db, clock);
    expect((await storedBuiltin()).updated_at).toBe(builtin.updated_at);
    expect(await snapshotOf(open.id)).toEqual(after);
  });
});
