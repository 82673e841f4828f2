import type { Round } from '../rounds/rounds.types';
import { formatDay } from '../views';
import type { Publication } from './versions.service';

/**
 * What a report page says about its version (docs/anonymity.md, rule 3): which published version it shows, or
 * why none is shown yet, and how many late answers wait for the next one and why. Counts only.
 */
export function publicationView(round: Round, publication: Publication<unknown>, clientName: string) {
  const { proposal, counts } = publication;
  const first = clientName.trim().split(/\s+/)[0] || clientName;
  const current = publication.versions.at(-1);
  return {
    published: publication.latest > 0,
    version: publication.latest,
    publishedOn: current ? formatDay(current.publishedOn) : null,
    earlierVersions: publication.latest - 1,
    open: round.status === 'open',
    closed: round.status === 'closed',
    deadline: formatDay(round.deadline),
    readiness: proposal.readiness,
    responded: counts.reduce((sum, group) => sum + group.responded, 0),
    invited: counts.reduce((sum, group) => sum + group.invited, 0),
    rows: counts.map((group) => ({ ...group, label: group.self ? `${group.label} (${first})` : group.label })),
    heldBack: publication.latest > 0 && proposal.held.total > 0 ? heldBackText(publication, round.k, counts) : null,
  };
}

function heldBackText(publication: Publication<unknown>, k: number, counts: Publication<unknown>['counts']): { headline: string; reason: string } {
  const { held, leak } = publication.proposal;
  const answers = (count: number) => `${count} late ${count === 1 ? 'answer' : 'answers'}`;
  const headline = `${answers(held.total)} ${held.total === 1 ? 'is' : 'are'} held back: version ${publication.latest} does not include ${held.total === 1 ? 'it' : 'them'}.`;
  const labelOf = (key: string) => counts.find((group) => group.key === key)?.label ?? key;
  if (held.anonymous > 0 && held.anonymous < k) {
    return { headline, reason: `They join a new version once at least ${k} late answers from anonymous raters have come in, so that comparing two versions never shows what one or two people said.` };
  }
  if (leak) {
    const what = leak.subject === '#comments' ? 'comments' : 'figures';
    return {
      headline,
      reason: `They join a new version once the ${leak.groups.map(labelOf).join(' and ')} ${what} would change by at least ${k} answers (now ${leak.raters}), so that comparing two versions never shows what one or two people said.`,
    };
  }
  return { headline, reason: 'They join a new version with the next answer or when the round closes.' };
}

export type PublicationView = ReturnType<typeof publicationView>;
