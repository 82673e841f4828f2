/**
 * docs/anonymity.md, rules 3 to 5, against the auditor (./auditor.ts): random rounds (random groups and
 * minimums, random N/A, random order of submissions and page loads, reopen with late answers,
 * releases), pulses and evaluation rounds, published the way the server publishes them:
 * - no figures while a round is open for the first time;
 * - closing publishes version 1 when the engine allows it;
 * - after a reopen, each late answer asks the engine whether the held-back answers may form the
 *   next version; closing asks again; every page load or release shows the latest version.
 * The auditor collects every number of every load and finds no combination resting on 1..k-1
 * anonymous raters. The first tests show that it does find them in what main used to publish.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildChangeReport,
  buildPulseReport,
  buildReport,
  proposePulseVersion,
  proposeRoundVersion,
  pulseOfVersion,
  reportOfVersion,
  type Comparison,
  type CompetencyResult,
  type RaterGroup,
  type NoComparison,
  type PulseInput,
  type ReportInput,
  type ReportModel,
  type VersionedInput,
} from '../../reports';
import { Auditor, type AuditedRater, type Publication } from './auditor';

// ───────────── rounds as the server runs them ─────────────

interface Design {
  points: number;
  k: number;
  groups: RaterGroup[];
  competencies: string[][];
}

/** The order of events: submissions in a random order, page loads in between, a reopen with late answers. */
interface Timeline {
  onTime: number[];
  late: number[];
  /** One per submission (on time, then late): whether the coach loads the report after it. */
  loads: boolean[];
  reopen: boolean;
  closeAgain: boolean;
}

type Kind = 'round' | 'pulse';

/** Every version the coach and client saw, in order, with the raters it was computed from. */
interface Simulation {
  publications: Array<{ publication: Publication; version: number }>;
  /** The latest version at the end, and its members. */
  latest: number;
  members: Set<number>;
  heldAtEnd: number;
}

function questionnaireOf(design: Design): ReportInput['questionnaire'] {
  return {
    name: 'Random',
    description: '',
    scale: { points: design.points, labels: Array.from({ length: design.points }, (_, i) => `P${i + 1}`), naLabel: 'N/A' },
    competencies: design.competencies.map((ids, c) => ({ id: `c${c}`, name: `C${c}`, description: '', items: ids.map((id) => ({ id, text: id })) })),
    openQuestions: [{ id: 'q1', text: 'Anything else?' }],
  };
}

/**
 * Runs one round through the publication policy the server applies (versions.service,
 * survey.service and rounds.service call the same engine functions at the same moments) and
 * hands every page load to `load`.
 */
function simulate(kind: Kind, design: Design, raters: readonly AuditedRater[], timeline: Timeline, seed: string): Simulation {
  const responses: Array<{ rater: number; version: number | null }> = [];
  let latest = 0;
  let open = true;
  const publications: Simulation['publications'] = [];
  const inputOf = () => {
    const versioned = responses.map(({ rater, version }) => ({ groupKey: raters[rater]!.group, ratings: raters[rater]!.ratings, comments: raters[rater]!.comments, version }));
    return kind === 'round'
      ? { kind, input: { seed, questionnaire: questionnaireOf(design), groups: design.groups, k: design.k, invited: {}, responses: versioned } as VersionedInput<ReportInput> }
      : { kind, input: { seed, groups: design.groups, k: design.k, invited: {}, focusAreas: design.competencies.flat().map((id) => ({ id, label: id })), responses: versioned } as VersionedInput<PulseInput> };
  };
  const publishDue = () => {
    const current = inputOf();
    const proposal = current.kind === 'round' ? proposeRoundVersion(current.input, latest) : proposePulseVersion(current.input as VersionedInput<PulseInput>, latest);
    if (!proposal.publish) return;
    latest += 1;
    for (const response of responses) if (response.version === null) response.version = latest;
  };
  const load = (label: string) => {
    if (latest === 0) return;
    const members = new Set(responses.filter((r) => r.version !== null && r.version <= latest).map((r) => r.rater));
    publications.push({ publication: { label: `${label} (version ${latest})`, members }, version: latest });
  };
  let step = 0;
  const submit = (rater: number) => {
    responses.push({ rater, version: null });
    if (open && latest > 0) publishDue();
    if (timeline.loads[step++]) load(`after submission ${step}`);
  };
  timeline.onTime.forEach(submit);
  open = false;
  publishDue();
  load('after closing');
  if (timeline.reopen) {
    open = true;
    timeline.late.forEach(submit);
    if (timeline.closeAgain) {
      open = false;
      publishDue();
    }
    load('at the end');
  }
  const members = new Set(responses.filter((r) => r.version !== null).map((r) => r.rater));
  return { publications, latest, members, heldAtEnd: responses.filter((r) => r.version === null).length };
}

/** The report of one publication, computed as the server computes the page (reportOfVersion / pulseOfVersion). */
function reportAt(kind: Kind, design: Design, raters: readonly AuditedRater[], members: ReadonlySet<number>, version: number, seed: string) {
  const responses = [...members].map((rater) => ({ groupKey: raters[rater]!.group, ratings: raters[rater]!.ratings, comments: raters[rater]!.comments, version }));
  if (kind === 'round') return reportOfVersion({ seed, questionnaire: questionnaireOf(design), groups: design.groups, k: design.k, invited: {}, responses }, version);
  return pulseOfVersion({ seed, groups: design.groups, k: design.k, invited: {}, focusAreas: design.competencies.flat().map((id) => ({ id, label: id })), responses }, version);
}

// ───────────── generators ─────────────

const designArb = (kind: Kind): fc.Arbitrary<Design> =>
  fc
    .record({
      points: fc.integer({ min: 4, max: 7 }),
      k: fc.integer({ min: 2, max: 4 }),
      groups: fc.array(fc.record({ minimum: fc.integer({ min: 0, max: 5 }), anonymous: fc.constantFrom(true, true, true, false) }), { minLength: 1, maxLength: 4 }),
      itemsPerCompetency: fc.array(fc.integer({ min: 1, max: kind === 'round' ? 3 : 1 }), { minLength: 1, maxLength: kind === 'round' ? 2 : 3 }),
    })
    .map(({ points, k, groups, itemsPerCompetency }) => ({
      points: kind === 'round' ? points : 7,
      k,
      groups: [
        { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
        ...groups.map((g, i) => ({ key: `g${i}`, label: `Group ${i}`, minimum: g.minimum, anonymous: g.anonymous, self: false })),
      ],
      competencies: itemsPerCompetency.map((count, c) => Array.from({ length: count }, (_, i) => `c${c}i${i}`)),
    }));

/** Raters of a design: self plus up to 7 per group, each item N/A with the item's rate, one comment each. */
function ratersArb(kind: Kind, design: Design): fc.Arbitrary<AuditedRater[]> {
  const items = design.competencies.flat();
  const [low, high] = kind === 'round' ? [1, design.points] : [-3, 3];
  // Each item is [u, value]: N/A when u < the item's N/A rate, as null or as a missing key by turns.
  const rater = (group: RaterGroup, naRates: number[]): fc.Arbitrary<AuditedRater> =>
    fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: low, max: high })), { minLength: items.length, maxLength: items.length }).map((cells) => {
      const ratings: Record<string, number | null> = {};
      items.forEach((id, i) => {
        const [u, value] = cells[i]!;
        if (u >= naRates[i]!) ratings[id] = value;
        else if (u % 2 === 0) ratings[id] = null;
      });
      return { group: group.key, self: group.self, anonymous: group.anonymous, ratings, comments: {} };
    });
  return fc
    .tuple(
      fc.array(fc.constantFrom(0, 0, 20, 50), { minLength: items.length, maxLength: items.length }),
      fc.array(fc.integer({ min: 0, max: 7 }), { minLength: design.groups.length, maxLength: design.groups.length }),
      fc.boolean(),
    )
    .chain(([naRates, counts, selfResponds]) =>
      fc.tuple(
        ...design.groups.flatMap((group, g) => Array.from({ length: group.self ? (selfResponds ? 1 : 0) : counts[g]! }, () => rater(group, naRates))),
      ),
    )
    .map((list) => list.map((r, index): AuditedRater => ({ ...r, comments: index % 3 === 2 ? {} : { q1: `comment of rater ${index}` } })));
}

function timelineArb(count: number): fc.Arbitrary<Timeline> {
  return fc
    .record({
      order: fc.shuffledSubarray(Array.from({ length: count }, (_, i) => i), { minLength: count, maxLength: count }),
      lateCount: fc.integer({ min: 0, max: count }),
      loads: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
      reopen: fc.constantFrom(true, true, true, false),
      closeAgain: fc.boolean(),
    })
    .map(({ order, lateCount, loads, reopen, closeAgain }) => ({
      onTime: order.slice(0, count - (reopen ? lateCount : 0)),
      late: reopen ? order.slice(count - lateCount) : [],
      loads,
      reopen,
      closeAgain,
    }));
}

const scenarioArb = (kind: Kind) =>
  designArb(kind).chain((design) => ratersArb(kind, design).chain((raters) => timelineArb(raters.length).map((timeline) => ({ design, raters, timeline }))));

// ───────────── auditing a simulation ─────────────

function audit(kind: Kind, design: Design, raters: AuditedRater[], timeline: Timeline, seed = 'round-1'): { auditor: Auditor; simulation: Simulation } {
  const simulation = simulate(kind, design, raters, timeline, seed);
  const auditor = new Auditor(raters, design.k, kind === 'round' ? { min: 1, max: design.points } : { min: -3, max: 3 });
  for (const { publication, version } of simulation.publications) {
    const report = reportAt(kind, design, raters, publication.members, version, seed);
    if (kind === 'round') auditor.publishReport(publication, report as ReportModel);
    else auditor.publishPulse(publication, report as ReturnType<typeof buildPulseReport>);
  }
  return { auditor, simulation };
}

// ───────────── what main used to publish ─────────────

const PEERS: RaterGroup = { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false };
const SELF: RaterGroup = { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true };
const peer = (ratings: Record<string, number | null>, index: number): AuditedRater => ({ group: 'peers', self: false, anonymous: true, ratings, comments: { q1: `peer ${index}` } });

describe('the auditor finds what main published', () => {
  const design: Design = { points: 5, k: 3, groups: [SELF, PEERS], competencies: [['i1', 'i2']] };
  const peers = [peer({ i1: 4, i2: 3 }, 0), peer({ i1: 2, i2: 5 }, 1), peer({ i1: 5, i2: 4 }, 2), peer({ i1: 1, i2: 2 }, 3)];
  const input = (members: number[]): ReportInput => ({
    seed: 'main',
    questionnaire: questionnaireOf(design),
    groups: design.groups,
    k: 3,
    invited: {},
    responses: members.map((r) => ({ groupKey: 'peers', ratings: peers[r]!.ratings, comments: peers[r]!.comments })),
  });

  it('case 1: a live draft report loaded after each answer (3 peers, then 4) gives the fourth peer away', () => {
    const auditor = new Auditor(peers, 3, { min: 1, max: 5 });
    auditor.publishReport({ label: 'draft after 3', members: new Set([0, 1, 2]) }, buildReport(input([0, 1, 2])));
    auditor.publishReport({ label: 'draft after 4', members: new Set([0, 1, 2, 3]) }, buildReport(input([0, 1, 2, 3])));
    expect(auditor.findLeak()).toMatchObject({ raters: [3] });
  });

  it('case 2: a release after a reopen with one late peer gives that peer away', () => {
    const auditor = new Auditor(peers, 3, { min: 1, max: 5 });
    auditor.publishReport({ label: 'release 1', members: new Set([0, 1, 2]) }, buildReport(input([0, 1, 2])));
    auditor.publishReport({ label: 'release 2', members: new Set([0, 1, 2, 3]) }, buildReport(input([0, 1, 2, 3])));
    expect(auditor.findLeak()?.raters).toEqual([3]);
  });

  it('case 3: a pulse report loaded while the pulse is open gives the latest rater away', () => {
    const pulsePeers = [0, 1, 2, 3].map((i) => peer({ f1: [2, -1, 0, 3][i]! }, i));
    const pulse = (members: number[]) =>
      buildPulseReport({ seed: 'p', groups: design.groups, k: 3, invited: {}, focusAreas: [{ id: 'f1', label: 'F1' }], responses: members.map((r) => ({ groupKey: 'peers', ratings: pulsePeers[r]!.ratings, comments: pulsePeers[r]!.comments })) });
    const auditor = new Auditor(pulsePeers, 3, { min: -3, max: 3 });
    auditor.publishPulse({ label: 'open pulse after 3', members: new Set([0, 1, 2]) }, pulse([0, 1, 2]));
    auditor.publishPulse({ label: 'open pulse after 4', members: new Set([0, 1, 2, 3]) }, pulse([0, 1, 2, 3]));
    expect(auditor.findLeak()?.raters).toEqual([3]);
  });

  it('case 4: a rater-weighted competency mean beside the item means gives away the rater who skipped an item', () => {
    // peer 3 answers i1 only: in a rater-weighted mean their i1 counts fully, in the item means it is one of four
    const skipping = [...peers.slice(0, 3), peer({ i1: 1, i2: null }, 3)];
    const model = buildReport({ ...input([]), responses: skipping.map((p) => ({ groupKey: 'peers', ratings: p.ratings, comments: p.comments })) });
    const raterScores = skipping.map((p) => {
      const answered = [p.ratings.i1, p.ratings.i2].filter((v): v is number => typeof v === 'number');
      return answered.reduce((a, b) => a + b, 0) / answered.length;
    });
    const mainCompetency = (competency: CompetencyResult): CompetencyResult => ({
      ...competency,
      allOthers: { withheld: false, n: 4, mean: raterScores.reduce((a, b) => a + b, 0) / 4, itemsAveraged: 2, itemCount: 2 },
      groups: competency.groups.map((g) => ({ ...g, figure: { withheld: false, n: 4, mean: raterScores.reduce((a, b) => a + b, 0) / 4, itemsAveraged: 2, itemCount: 2 } })),
    });
    const auditor = new Auditor(skipping, 3, { min: 1, max: 5 });
    auditor.publishReport({ label: 'closed report', members: new Set([0, 1, 2, 3]) }, { ...model, competencies: model.competencies.map(mainCompetency) });
    expect(auditor.findLeak()?.raters).toEqual([3]);
    // ...while the same report with competency figures derived from its items hides everyone
    const fair = new Auditor(skipping, 3, { min: 1, max: 5 });
    fair.publishReport({ label: 'closed report', members: new Set([0, 1, 2, 3]) }, model);
    expect(fair.findLeak()).toBeNull();
  });

  it('a comment that appears in a new version with one late rater names its writer', () => {
    const auditor = new Auditor(peers, 3, { min: 1, max: 5 });
    auditor.publishReport({ label: 'v1', members: new Set([0, 1, 2]) }, buildReport(input([0, 1, 2])));
    auditor.publishReport({ label: 'v2', members: new Set([0, 1, 2, 3]) }, buildReport(input([0, 1, 2, 3])));
    // the numbers leak first; the comment alone leaks too
    const comments = new Auditor(peers.map((p) => ({ ...p, ratings: {} })), 3, { min: 1, max: 5 });
    comments.publishReport({ label: 'v1', members: new Set([0, 1, 2]) }, buildReport({ ...input([0, 1, 2]), responses: input([0, 1, 2]).responses.map((r) => ({ ...r, ratings: {} })) }));
    comments.publishReport({ label: 'v2', members: new Set([0, 1, 2, 3]) }, buildReport({ ...input([0, 1, 2, 3]), responses: input([0, 1, 2, 3]).responses.map((r) => ({ ...r, ratings: {} })) }));
    expect(comments.findLeak()).toMatchObject({ where: 'comment "peer 3"', raters: [3] });
  });
});

// ───────────── the properties ─────────────

describe('versions against the auditor', () => {
  it('round reports: every page load, release and export of every version together isolate nobody', () => {
    fc.assert(
      fc.property(scenarioArb('round'), ({ design, raters, timeline }) => {
        const { auditor } = audit('round', design, raters, timeline);
        expect(auditor.findLeak()).toBeNull();
      }),
      { numRuns: Number(process.env.AUDITOR_RUNS ?? 150) },
    );
  });

  it('pulse reports: the same', () => {
    fc.assert(
      fc.property(scenarioArb('pulse'), ({ design, raters, timeline }) => {
        const { auditor } = audit('pulse', design, raters, timeline);
        expect(auditor.findLeak()).toBeNull();
      }),
      { numRuns: Number(process.env.AUDITOR_RUNS ?? 100) },
    );
  });

  it('change reports: every number is computed from the two published versions', () => {
    fc.assert(
      fc.property(
        scenarioArb('round').chain((baseline) => ratersArb('round', baseline.design).chain((raters) => timelineArb(raters.length).map((timeline) => ({ baseline, evaluation: { raters, timeline } })))),
        ({ baseline, evaluation }) => {
          const before = simulate('round', baseline.design, baseline.raters, baseline.timeline, 'baseline');
          const after = simulate('round', baseline.design, evaluation.raters, evaluation.timeline, 'evaluation');
          if (before.latest === 0 || after.latest === 0) return;
          const beforeModel = reportAt('round', baseline.design, baseline.raters, before.members, before.latest, 'baseline') as ReportModel;
          const afterModel = reportAt('round', baseline.design, evaluation.raters, after.members, after.latest, 'evaluation') as ReportModel;
          const change = buildChangeReport(beforeModel, afterModel, { focus: [{ type: 'competency', id: 'c0' }], ratersInBoth: 0 });
          for (const entry of change.items) {
            const [b, a] = [itemOf(beforeModel, entry.id), itemOf(afterModel, entry.id)];
            expectDerived(entry.allOthers, b.allOthers, a.allOthers);
            for (const group of entry.groups) expectDerived(group.comparison, b.groups.find((g) => g.groupKey === group.groupKey)!.figure, a.groups.find((g) => g.groupKey === group.groupKey)!.figure);
          }
          for (const entry of change.competencies) {
            const items = change.items.filter((item) => item.competencyId === entry.id);
            expectAverageOf(entry.allOthers, items.map((item) => item.allOthers));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the scenarios are not vacuous: several versions, held-back answers, shown groups and comments occur', () => {
    const samples = fc.sample(scenarioArb('round'), { numRuns: 150, seed: 7 });
    const runs = samples.map(({ design, raters, timeline }) => audit('round', design, raters, timeline));
    expect(runs.filter((run) => run.simulation.latest >= 2).length).toBeGreaterThan(10);
    expect(runs.filter((run) => run.simulation.heldAtEnd > 0).length).toBeGreaterThan(10);
    expect(runs.filter((run) => run.auditor.size.equations > 6 && run.auditor.size.comments > 2).length).toBeGreaterThan(30);
  });

  it('the same scenarios published as main did (the current answers at every load, open or not) leak in many of them', () => {
    const samples = fc.sample(scenarioArb('round'), { numRuns: 150, seed: 7 });
    const leaking = samples.filter(({ design, raters, timeline }) => {
      const auditor = new Auditor(raters, design.k, { min: 1, max: design.points });
      const submitted: number[] = [];
      [...timeline.onTime, ...timeline.late].forEach((rater, step) => {
        submitted.push(rater);
        if (timeline.loads[step]) auditor.publishReport({ label: `live after ${step + 1}`, members: new Set(submitted) }, reportAt('round', design, raters, new Set(submitted), 1, 'main') as ReportModel);
      });
      return auditor.findLeak() !== null;
    });
    expect(leaking.length).toBeGreaterThan(30);
  });
});

function itemOf(model: ReportModel, id: string) {
  return model.competencies.flatMap((c) => c.items).find((item) => item.id === id)!;
}

/** An item comparison repeats the two published figures exactly; its interval and effect size are functions of them. */
function expectDerived(comparison: Comparison | NoComparison, before: ReportModel['competencies'][number]['items'][number]['allOthers'], after: typeof before): void {
  if (!comparison.compared) return;
  if (before.withheld || after.withheld) throw new Error('compared a withheld figure');
  expect(comparison.baseline).toEqual({ mean: before.mean, n: before.n, sd: before.sd });
  expect(comparison.evaluation).toEqual({ mean: after.mean, n: after.n, sd: after.sd });
}

/** A competency comparison averages the comparisons of its items. */
function expectAverageOf(comparison: Comparison | NoComparison, items: Array<Comparison | NoComparison>): void {
  if (!comparison.compared) return;
  const compared = items.filter((item): item is Comparison => item.compared);
  expect(comparison.itemsCompared).toBe(compared.length);
  const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  expect(Math.abs(comparison.baseline.mean - average(compared.map((item) => item.baseline.mean)))).toBeLessThan(1e-9);
  expect(Math.abs(comparison.evaluation.mean - average(compared.map((item) => item.evaluation.mean)))).toBeLessThan(1e-9);
}
