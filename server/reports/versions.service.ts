/**
 * Published versions of a round's figures (docs/anonymity.md, rule 3; reports/versions.ts). A report, pulse
 * report, export, release or change report only ever shows a published version:
 * - while a round is open for the first time there is none (response counts only);
 * - closing publishes version 1 once k people other than the client have answered;
 * - answers that come after a reopen are held back, counted, and join version n + 1 as soon as the
 *   engine finds that this cannot single anyone out, checked with each late answer and at closing.
 */
import { DEFAULT_K, effectiveMinimum, heldBack, proposePulseVersion, proposeRoundVersion, pulseOfVersion, reportOfVersion } from '../../reports/index';
import type { PulseInput, PulseReport, Readiness, ReportInput, ReportModel, VersionedInput, VersionProposal } from '../../reports/types';
import type { Db } from '../db/schema';
import { dayOf, type Clock } from '../clock';
import { ConflictError } from '../errors';
import { Phrase } from '../i18n/phrase';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { pulseInputOf } from '../pulses/pulse-scale';
import { countInvitationsByGroupAndStatus } from '../rounds/invitations.repository';
import { listGroupsOfPublishedRounds, listRoundGroups, lockRound } from '../rounds/rounds.repository';
import type { RaterGroup, Round } from '../rounds/rounds.types';
import { listResponses, type VersionedResponse } from '../survey/survey.repository';
import {
  countUnpublishedResponses,
  listLatestVersions,
  listPublishedResponses,
  listRoundVersions,
  publishRoundVersion,
  type PublishedRounds,
  type RoundVersion,
} from './versions.repository';

/** The engine's input for a launched round: its frozen questionnaire, groups, invitations and every response with its version. */
export async function versionedInputForRound(db: Db, round: Round): Promise<VersionedInput<ReportInput>> {
  launchedSnapshot(round);
  const [groups, counts, responses] = await Promise.all([listRoundGroups(db, round.id), countInvitationsByGroupAndStatus(db, round.id), listResponses(db, round.id)]);
  const invited: Record<string, number> = {};
  for (const row of counts) if (row.status !== 'pending') invited[row.groupKey] = (invited[row.groupKey] ?? 0) + row.count;
  return versionedInput(round, groups, invited, responses);
}

function launchedSnapshot(round: Round): QuestionnaireDefinition {
  if (!round.snapshot) throw new ConflictError(new Phrase('error.round.notLaunchedNoReport'));
  return round.snapshot;
}

function versionedInput(round: Round, groups: RaterGroup[], invited: Record<string, number>, responses: VersionedResponse[]): VersionedInput<ReportInput> {
  return {
    seed: round.id,
    questionnaire: launchedSnapshot(round),
    groups,
    k: round.k,
    ...(round.tau === null ? {} : { tau: round.tau }),
    invited,
    responses: responses.map((response) => ({ groupKey: response.groupKey, ratings: response.answers.ratings, comments: response.answers.comments, version: response.version })),
  };
}

/** What anyone may see of a round's figures now. */
export interface Publication<M> {
  /** The latest published version; 0 while none is. */
  latest: number;
  /** Its report; null while none is published. */
  model: M | null;
  versions: RoundVersion[];
  /** Responses waiting for a version, and what holds them back. */
  proposal: VersionProposal;
  /** Invitations and responses per rater group, all of them (counts only, never figures). */
  counts: GroupCount[];
}

export interface GroupCount {
  key: string;
  label: string;
  self: boolean;
  invited: number;
  responded: number;
  /** More responses the group needs to be shown on its own (0 once it has them). */
  moreNeeded: number;
}

function groupCounts(input: VersionedInput<ReportInput>): GroupCount[] {
  return input.groups.map((group) => {
    const responded = input.responses.filter((response) => response.groupKey === group.key).length;
    const minimum = group.self ? 1 : effectiveMinimum(group, input.k ?? DEFAULT_K);
    return { key: group.key, label: group.label, self: group.self, invited: input.invited[group.key] ?? 0, responded, moreNeeded: Math.max(0, minimum - responded) };
  });
}

/**
 * What waits for the next version. With every response in a published version there is nothing to
 * decide, and the engine would build the same report a second time only to read its readiness
 * (which depends on the responses alone): the published model has it already.
 */
function nextVersion<I extends VersionedInput<ReportInput> | VersionedInput<PulseInput>>(
  input: I,
  latest: number,
  model: { readiness: Readiness } | null,
  propose: (input: I, latest: number) => VersionProposal,
): VersionProposal {
  const held = heldBack(input.groups, input.responses);
  if (held.total === 0 && model) return { publish: false, version: latest + 1, held, leak: null, readiness: model.readiness };
  return propose(input, latest);
}

/** The published round report (baseline or evaluation) and what waits for the next version. */
export async function publishedRoundReport(db: Db, round: Round): Promise<Publication<ReportModel>> {
  const input = await versionedInputForRound(db, round);
  const versions = await listRoundVersions(db, round.id);
  const latest = latestOf(versions);
  const model = latest > 0 ? reportOfVersion({ ...input, invited: versions.at(-1)!.invited }, latest) : null;
  return { latest, versions, model, proposal: nextVersion(input, latest, model, proposeRoundVersion), counts: groupCounts(input) };
}

/** The published pulse report and what waits for the next version. */
export async function publishedPulseReport(db: Db, round: Round): Promise<Publication<PulseReport>> {
  const input = await versionedInputForRound(db, round);
  const pulseInput = pulseInputOf(input);
  const versions = await listRoundVersions(db, round.id);
  const latest = latestOf(versions);
  const model = latest > 0 ? pulseOfVersion({ ...pulseInput, invited: versions.at(-1)!.invited }, latest) : null;
  return { latest, versions, model, proposal: nextVersion(pulseInput, latest, model, proposePulseVersion), counts: groupCounts(input) };
}

/**
 * The published pulse reports of the pulses among an engagement's `rounds`, by round id: three
 * statements however many pulses there are. Only published figures (docs/anonymity.md, rule 3).
 */
export async function publishedPulseModels(db: Db, engagementId: string, rounds: Round[]): Promise<Map<string, PulseReport>> {
  const published: PublishedRounds = { engagementId, purpose: 'pulse' };
  const [groups, versions, responses] = await Promise.all([listGroupsOfPublishedRounds(db, published), listLatestVersions(db, published), listPublishedResponses(db, published)]);
  const models = new Map<string, PulseReport>();
  for (const round of rounds) {
    const version = versions.get(round.id);
    if (round.purpose !== 'pulse' || !version) continue;
    const input = pulseInputOf(versionedInput(round, groups.get(round.id) ?? [], version.invited, responses.get(round.id) ?? []));
    models.set(round.id, pulseOfVersion(input, version.version));
  }
  return models;
}

/**
 * Publishes the next version when the engine allows it: at closing (the first version) and with
 * each answer that comes after a reopen. Runs in the caller's transaction; on PostgreSQL the round
 * row is locked first so that a concurrent late answer waits for the decision. True when a version
 * was published.
 */
export async function publishDueVersion(db: Db, clock: Clock, round: Round): Promise<boolean> {
  if (!round.snapshot) return false;
  await lockRound(db, round.id);
  const input = await versionedInputForRound(db, round);
  const latest = latestOf(await listRoundVersions(db, round.id));
  const proposal = round.purpose === 'pulse' ? proposePulseVersion(pulseInputOf(input), latest) : proposeRoundVersion(input, latest);
  if (!proposal.publish) return false;
  return publishRoundVersion(db, round.id, latest, dayOf(clock.now()), input.invited);
}

/** How many late answers wait for the next version (0 while no version is published: nothing is late then). */
export async function countLateAnswersHeld(db: Db, round: Round): Promise<number> {
  return round.publishedVersion > 0 ? countUnpublishedResponses(db, round.id) : 0;
}

function latestOf(versions: readonly RoundVersion[]): number {
  return versions.at(-1)?.version ?? 0;
}
