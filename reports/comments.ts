/**
 * Open-question comments (and pulse comments): unattributed, in a stable pseudo-random order,
 * grouped by rater group only where the group is shown on its own at round level (docs/anonymity.md, rule 5).
 */
import { seededShuffle } from './random';
import { ALL_OTHERS_LABEL, type RoundGroups } from './round-groups';
import type { CommentBlock, CommentSection } from './types';

/** A question (or pulse focus area) comments answer. */
export interface CommentPrompt {
  id: string;
  text: string;
}

/** What the comment builder needs of a response. */
export interface CommentSource {
  groupKey: string;
  comments: Readonly<Record<string, unknown>>;
}

interface Comment {
  groupKey: string;
  text: string;
}

/**
 * One section per prompt, each with blocks in this order: the client's own comments, one block per
 * group shown on its own, then All others (every group merged at round level, pooled). The pooled
 * block is withheld when the round has fewer than k anonymous raters; the message says how many
 * more responses are needed. Empty blocks are left out.
 *
 * Order: comments are first sorted by their text, then shuffled with a generator seeded by
 * `seed` + prompt id. Sorting first makes the result independent of the input order, so even
 * someone who knows the seed cannot undo the shuffle to recover the submission order.
 *
 * @example
 * buildCommentSections([{ id: 'q1', text: 'What should they keep doing?' }], responses, round, 'round-1');
 * // [{ id: 'q1', text: 'What should they keep doing?', blocks: [
 * //    { source: 'self', groupKey: 'self', label: 'Self', withheld: false, comments: ['...'] },
 * //    { source: 'all-others', groupKey: null, label: 'All others', withheld: false, comments: ['...', '...'] } ] }]
 */
export function buildCommentSections(
  prompts: readonly CommentPrompt[],
  responses: readonly CommentSource[],
  round: RoundGroups,
  seed: string,
): CommentSection[] {
  return prompts.map((prompt) => {
    const comments = seededShuffle(sortedByText(commentsOn(prompt.id, responses)), `${seed}\u0000${prompt.id}`);
    return { id: prompt.id, text: prompt.text, blocks: commentBlocks(comments, round) };
  });
}

function commentsOn(promptId: string, responses: readonly CommentSource[]): Comment[] {
  return responses.flatMap((response) => {
    const raw = Object.hasOwn(response.comments, promptId) ? response.comments[promptId] : undefined;
    const text = typeof raw === 'string' ? raw.trim() : '';
    return text === '' ? [] : [{ groupKey: response.groupKey, text }];
  });
}

function sortedByText(comments: readonly Comment[]): Comment[] {
  // Code-unit order, not localeCompare: the same on every machine and locale.
  const key = (comment: Comment) => `${comment.text}\u0000${comment.groupKey}`;
  return [...comments].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function commentBlocks(comments: readonly Comment[], round: RoundGroups): CommentBlock[] {
  const textsOf = (keys: readonly string[]) => comments.filter((c) => keys.includes(c.groupKey)).map((c) => c.text);
  const blocks: CommentBlock[] = [
    { source: 'self', groupKey: round.self.key, label: round.self.label, withheld: false, comments: textsOf([round.self.key]) },
    ...round.shown.map((group): CommentBlock => ({
      source: 'group',
      groupKey: group.key,
      label: group.label,
      withheld: false,
      comments: textsOf([group.key]),
    })),
    pooledBlock(textsOf(pooledGroupKeys(round)), round),
  ];
  return blocks.filter((block) => block.withheld || block.comments.length > 0);
}

function pooledGroupKeys(round: RoundGroups): string[] {
  return round.nonSelf.filter((group) => !round.shown.includes(group)).map((group) => group.key);
}

/**
 * The pooled block is withheld whenever the pool has responders (whether or not they commented,
 * so the block does not reveal that someone wrote something) and the round's anonymous raters
 * number fewer than k. Below k only not-anonymous groups can be shown on their own, so every
 * anonymous rater is in the pool.
 */
function pooledBlock(texts: string[], round: RoundGroups): CommentBlock {
  const poolKeys = pooledGroupKeys(round);
  const poolResponders = round.summaries.filter((g) => poolKeys.includes(g.key)).reduce((total, g) => total + g.completed, 0);
  if (poolResponders > 0 && round.anonymousResponses < round.k) {
    const needed = round.k - round.anonymousResponses;
    return {
      source: 'all-others',
      groupKey: null,
      label: ALL_OTHERS_LABEL,
      withheld: true,
      reason: `Withheld until at least ${round.k} anonymous raters have responded (${needed} more ${needed === 1 ? 'response' : 'responses'} needed)`,
      moreResponsesNeeded: needed,
    };
  }
  return { source: 'all-others', groupKey: null, label: ALL_OTHERS_LABEL, withheld: false, comments: texts };
}
