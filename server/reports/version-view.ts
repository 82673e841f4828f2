import type { Translator } from '../i18n/translator';
import type { Round } from '../rounds/rounds.types';
import { formatDay } from '../views';
import { groupLabel } from './report-language';
import type { Publication } from './versions.service';

/**
 * What a report page says about its version (docs/anonymity.md, rule 3), in the reader's language:
 * which published version it shows, or why none is shown yet, and how many late answers wait for
 * the next one and why. Counts only.
 */
export function publicationView(round: Round, publication: Publication<unknown>, clientName: string, translator: Translator) {
  const { proposal, counts } = publication;
  const first = clientName.trim().split(/\s+/)[0] || clientName;
  const current = publication.versions.at(-1);
  return {
    published: publication.latest > 0,
    version: publication.latest,
    publishedOn: current ? formatDay(current.publishedOn, translator.language) : null,
    earlierVersions: publication.latest - 1,
    open: round.status === 'open',
    closed: round.status === 'closed',
    deadline: formatDay(round.deadline, translator.language),
    readiness: proposal.readiness,
    responded: counts.reduce((sum, group) => sum + group.responded, 0),
    invited: counts.reduce((sum, group) => sum + group.invited, 0),
    rows: counts.map((group) => {
      const label = group.self ? translator.t('report.column.self') : groupLabel(group.key, group.label, translator);
      return { ...group, label: group.self ? `${label} (${first})` : label };
    }),
    heldBack: publication.latest > 0 && proposal.held.total > 0 ? heldBackText(publication, round.k, counts, translator) : null,
  };
}

function heldBackText(publication: Publication<unknown>, k: number, counts: Publication<unknown>['counts'], translator: Translator): { headline: string; reason: string } {
  const { held, leak } = publication.proposal;
  const headline = translator.t('report.status.heldBack', { count: held.total, version: publication.latest });
  if (held.anonymous > 0 && held.anonymous < k) return { headline, reason: translator.t('report.status.heldAnonymous', { k }) };
  if (leak) {
    const labelOf = (key: string) => {
      const group = counts.find((candidate) => candidate.key === key);
      return group ? groupLabel(group.key, group.label, translator) : key;
    };
    const groups = new Intl.ListFormat(translator.language, { type: 'conjunction' }).format(leak.groups.map(labelOf));
    return { headline, reason: translator.t('report.status.heldLeak', { groups, what: leak.subject === '#comments' ? 'comments' : 'figures', k, raters: leak.raters }) };
  }
  return { headline, reason: translator.t('report.status.heldNext') };
}

export type PublicationView = ReturnType<typeof publicationView>;
