import { describe, expect, it } from 'vitest';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';

describe('a translator', () => {
  it('keeps formatted words without mixing up values, languages or keys', () => {
    const translators = createTranslators(loadCatalogues('views/locales'));
    const [en, fr] = [translators('en'), translators('fr')];
    for (let round = 0; round < 2; round++) {
      expect(en.t('teams.members.full', { max: 50 })).toBe('The team has 50 leaders, the most a team holds.');
      expect(en.t('teams.members.full', { max: 49 })).toBe('The team has 49 leaders, the most a team holds.');
      expect(fr.t('teams.members.full', { max: 50 })).toBe('L’équipe compte 50 dirigeants, le maximum pour une équipe.');
      expect(en.t('pager.next')).toBe('Next page');
      expect(fr.t('pager.next')).toBe('Page suivante');
      expect(en.t('flash.team.created', { count: 1 })).toBe('Team created with 1 leader.');
      expect(en.t('flash.team.created', { count: 2 })).toBe('Team created with 2 leaders.');
    }
  });
});
