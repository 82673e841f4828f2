/**
 * The anonymity promise as properties over random rounds. Every check recomputes from the INPUT
 * (who is in which group, who answered what), never from the engine's own bookkeeping: for every
 * item, competency and pulse focus area,
 * - every shown non-self figure rests on 0 or at least k anonymous raters;
 * - All others, minus any combination of shown groups, rests on 0 or at least k anonymous raters,
 *   so no answer can be recovered by arithmetic on shown means and counts;
 * - a withheld figure exposes nothing but its reason;
 * - a shown figure counts exactly the raters it should (nothing silently dropped) with the right mean;
 * and comments of anonymous raters never show below k.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildChangeReport,
  buildPulseReport,
  buildReport,
  type Comparison,
  type Figure,
  type FigureBase,
  type FigureSlots,
  type RaterGroup,
  type NoComparison,
  type PulseInput,
  type ReportInput,
  type ReportModel,
  type ShownFigure,
} from '../../reports';

// ───────────── generators ─────────────

interface Design {
  points: number;
  k: number;
  groups: Array<{ minimum: number; anonymous: boolean }>;
  itemsPerCompetency: number[];
}

interface RoundDraw {
  responders: number[];
  selfResponds: boolean;
  naRates: number[];
  cells: Array<Array<[number, number]>>;
  seed: string;
}

const MAX_RATERS = 4 * 7 + 1;

const designArb: fc.Arbitrary<Design> = fc.record({
  points: fc.integer({ min: 4, max: 7 }),
  k: fc.integer({ min: 2, max: 5 }),
  groups: fc.array(fc.record({ minimum: fc.integer({ min: 0, max: 6 }), anonymous: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  itemsPerCompetency: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
});

/** Answers are drawn per (rater, item) as [u, value]: N/A when u < the item's N/A rate (100 = whole item N/A). */
function roundDrawArb(itemCount: number, low: number, high: number): fc.Arbitrary<RoundDraw> {
  return fc.record({
    responders: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 4, maxLength: 4 }),
    selfResponds: fc.boolean(),
    naRates: fc.array(fc.constantFrom(0, 0, 25, 60, 100), { minLength: itemCount, maxLength: itemCount }),
    // one step beyond each end of the scale: off-scale answers must be ignored like N/A
    cells: fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: low - 1, max: high + 1 })), { minLength: itemCount, maxLength: itemCount }), {
      minLength: MAX_RATERS,
      maxLength: MAX_RATERS,
    }),
    seed: fc.string({ maxLength: 6 }),
  });
}

function groupsOf(design: Design): RaterGroup[] {
  return [
    { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true },
    ...design.groups.map((g, i) => ({ key: `g${i}`, label: `Group ${i}`, minimum: g.minimum, anonymous: g.anonymous, self: false })),
  ];
}

function itemIdsOf(design: Design): string[][] {
  return design.itemsPerCompetency.map((count, c) => Array.from({ length: count }, (_, i) => `c${c}i${i}`));
}

/** Group key of every rater, self first; one entry per response. */
function raterGroups(design: Design, draw: RoundDraw): string[] {
  return [
    ...(draw.selfResponds ? ['self'] : []),
    ...design.groups.flatMap((_, i) => Array.from({ length: draw.responders[i]! }, () => `g${i}`)),
  ];
}

/** N/A as null or as a missing key, alternately, to exercise both. */
function answers(keys: string[], cells: Array<[number, number]>, naRates: number[]): Record<string, number | null> {
  const result: Record<string, number | null> = {};
  keys.forEach((key, index) => {
    const [u, value] = cells[index]!;
    if (u >= naRates[index]!) result[key] = value;
    else if (u % 2 === 0) result[key] = null;
  });
  return result;
}

function toReportInput(design: Design, draw: RoundDraw): ReportInput {
  const itemIds = itemIdsOf(design).flat();
  const groups = groupsOf(design);
  return {
    seed: draw.seed,
    questionnaire: {
      name: 'Random',
      description: '',
      scale: { points: design.points, labels: Array.from({ length: design.points }, (_, i) => `P${i + 1}`), naLabel: 'N/A' },
      competencies: itemIdsOf(design).map((ids, c) => ({ id: `c${c}`, name: `C${c}`, description: '', items: ids.map((id) => ({ id, text: id })) })),
      openQuestions: [{ id: 'q1', text: 'Anything else?' }],
    },
    groups,
    k: design.k,
    invited: Object.fromEntries(groups.map((g) => [g.key, 7])),
    responses: raterGroups(design, draw).map((groupKey, r) => ({
      groupKey,
      ratings: answers(itemIds, draw.cells[r]!, draw.naRates),
      comments: { q1: `comment-${r}` },
    })),
  };
}

const roundArb = designArb.chain((design) =>
  roundDrawArb(design.itemsPerCompetency.reduce((a, b) => a + b, 0), 1, design.points).map((draw) => toReportInput(design, draw)),
);

const roundPairArb = designArb.chain((design) => {
  const draw = roundDrawArb(design.itemsPerCompetency.reduce((a, b) => a + b, 0), 1, design.points);
  return fc.tuple(draw, draw).map(([a, b]) => [toReportInput(design, a), toReportInput(design, b)] as const);
});

const pulseArb = fc
  .record({ design: designArb, areas: fc.integer({ min: 1, max: 4 }) })
  .chain(({ design, areas }) =>
    roundDrawArb(areas, -3, 3).map((draw): PulseInput => {
      const ids = Array.from({ length: areas }, (_, i) => `f${i}`);
      return {
        seed: draw.seed,
        groups: groupsOf(design),
        k: design.k,
        focusAreas: ids.map((id) => ({ id, label: id })),
        invited: {},
        responses: raterGroups(design, draw).map((groupKey, r) => ({
          groupKey,
          ratings: answers(ids, draw.cells[r]!, draw.naRates),
          comments: Object.fromEntries(ids.map((id) => [id, `comment-${r}-${id}`])),
        })),
      };
    }),
  );

// ───────────── independent recomputation from the input ─────────────

/** A rater's value as the definitions say, recomputed here (not with the engine's helpers). */
type ValueOf = (ratings: Record<string, number | null>) => number | null;

function ratingValue(id: string, low: number, high: number): ValueOf {
  return (ratings) => {
    const value = ratings[id];
    return typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high ? value : null;
  };
}

/**
 * A competency's figures are the mean of its items' figures of the same slot, over the items where
 * that figure is shown with a mean, when they are at least half of the items (docs/anonymity.md, rule 4): so they
 * only ever combine numbers the item rows show.
 */
function checkCompetency(competency: ReportModel['competencies'][number]): void {
  const slotsOf = (slots: FigureSlots<FigureBase>) => [slots.self, slots.allOthers, ...slots.groups.map((g) => g.figure)];
  const competencySlots = slotsOf(competency);
  const itemSlots = competency.items.map((item) => slotsOf(item));
  competencySlots.forEach((figure, slot) => {
    const means = itemSlots.map((slots) => slots[slot]!).flatMap((f) => (f.withheld || f.mean === null ? [] : [f.mean]));
    const enough = means.length > 0 && means.length * 2 >= competency.items.length;
    if (!enough) {
      expect(figure.withheld || figure.mean === null).toBe(true);
      return;
    }
    if (figure.withheld) throw new Error(`competency ${competency.id} withheld although its items show`);
    expect(Math.abs(figure.mean! - means.reduce((a, b) => a + b, 0) / means.length)).toBeLessThan(1e-9);
  });
}

interface Rater {
  group: RaterGroup;
  value: number | null;
}

/** Checks one set of figures against the raters behind it. */
function checkSlots(slots: FigureSlots, raters: Rater[], k: number, shownGroupKeys: string[]): void {
  const others = raters.filter((r) => !r.group.self && r.value !== null);
  const anonymousIn = (list: Rater[]) => list.filter((r) => r.group.anonymous).length;
  const ok = (anonymous: number) => anonymous === 0 || anonymous >= k;

  expect(slots.groups.map((g) => g.groupKey)).toEqual(shownGroupKeys);
  checkFigure(slots.self, raters.filter((r) => r.group.self && r.value !== null));

  const shownGroups = slots.groups.filter((g) => !g.figure.withheld).map((g) => g.groupKey);
  for (const group of slots.groups) {
    const members = others.filter((r) => r.group.key === group.groupKey);
    checkFigure(group.figure, members);
    if (!group.figure.withheld) expect(ok(anonymousIn(members)), `group ${group.groupKey}`).toBe(true);
  }

  checkFigure(slots.allOthers, others);
  if (!slots.allOthers.withheld) {
    expect(anonymousIn(others)).toBeGreaterThanOrEqual(k);
    // All others minus any combination of shown groups: the residual must not isolate anyone
    for (const subset of subsets(shownGroups)) {
      const residual = others.filter((r) => !subset.includes(r.group.key));
      expect(ok(anonymousIn(residual)), `residual without ${subset.join('+')}`).toBe(true);
    }
  }
}

/** A withheld figure has only its reason (and the rule's name); a shown one counts exactly `answered` with their mean. */
function checkFigure(figure: Figure, answered: Rater[]): void {
  if (figure.withheld) {
    expect(Object.keys(figure).filter((key) => key !== 'cause').sort()).toEqual(['reason', 'withheld']);
    expect([undefined, 'anonymous-minimum', 'too-few-answers', 'half-items']).toContain(figure.cause);
    return;
  }
  const f = figure as ShownFigure & { distribution?: number[] };
  expect(f.n).toBe(answered.length);
  if (answered.length === 0) expect(f.mean).toBeNull();
  else expect(Math.abs(f.mean! - answered.reduce((t, r) => t + r.value!, 0) / answered.length)).toBeLessThan(1e-9);
  expect(f.sd === null).toBe(answered.length < 2);
  if (f.distribution !== undefined) expect(f.distribution.reduce((a, b) => a + b, 0)).toBe(answered.length);
}

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((s) => [...s, item])], [[]]);
}

function ratersOf(input: { groups: RaterGroup[]; responses: Array<{ groupKey: string; ratings: Record<string, number | null> }> }, valueOf: ValueOf): Rater[] {
  return input.responses.map((response) => ({ group: input.groups.find((g) => g.key === response.groupKey)!, value: valueOf(response.ratings) }));
}

function checkRound(input: ReportInput, report: ReportModel): void {
  const k = input.k!;
  const points = input.questionnaire.scale.points;
  for (const competency of report.competencies) {
    for (const item of competency.items) checkSlots(item, ratersOf(input, ratingValue(item.id, 1, points)), k, report.shownGroupKeys);
    checkCompetency(competency);
  }
  checkComments(input, report.comments.flatMap((s) => s.blocks), report.shownGroupKeys, k, (r) => [`comment-${r}`]);
}

/**
 * Anonymous raters' comments never show when the round has fewer than k of them; otherwise every
 * comment shows exactly once, under its group only if that group is shown on its own.
 */
function checkComments(
  input: { groups: RaterGroup[]; responses: Array<{ groupKey: string }> },
  blocks: ReportModel['comments'][number]['blocks'],
  shownGroupKeys: string[],
  k: number,
  commentsOf: (responseIndex: number) => string[],
): void {
  const groupOf = (key: string) => input.groups.find((g) => g.key === key)!;
  const anonymousResponders = input.responses.filter((r) => groupOf(r.groupKey).anonymous && !groupOf(r.groupKey).self).length;
  const where = new Map<string, string[]>();
  for (const block of blocks) {
    if (block.withheld) continue;
    for (const text of block.comments) where.set(text, [...(where.get(text) ?? []), block.groupKey ?? 'all-others']);
  }
  input.responses.forEach((response, index) => {
    const group = groupOf(response.groupKey);
    const ownColumn = group.self || shownGroupKeys.includes(group.key);
    for (const text of commentsOf(index)) {
      if (ownColumn) expect(where.get(text)).toEqual([group.key]);
      else if (anonymousResponders >= k) expect(where.get(text)).toEqual(['all-others']);
      else expect(where.get(text)).toBeUndefined();
    }
  });
}

// ───────────── properties ─────────────

describe('anonymity properties', () => {
  it('round reports: no shown figure or difference of figures isolates fewer than k anonymous raters', () => {
    fc.assert(
      fc.property(roundArb, (input) => {
        checkRound(input, buildReport(input));
      }),
      { numRuns: 400 },
    );
  });

  it('pulse reports obey the same rule', () => {
    fc.assert(
      fc.property(pulseArb, (input) => {
        const report = buildPulseReport(input);
        for (const area of report.focusAreas) {
          checkSlots(area, ratersOf(input, ratingValue(area.id, -3, 3)), input.k!, report.shownGroupKeys);
          if (!area.allOthers.withheld && area.allOthers.n > 0) {
            const { shareMore, shareSame, shareLess } = area.allOthers;
            expect(Math.abs(shareMore! + shareSame! + shareLess! - 1)).toBeLessThan(1e-9);
          }
        }
        const ids = input.focusAreas.map((a) => a.id);
        checkComments(input, report.comments.flatMap((s) => s.blocks), report.shownGroupKeys, input.k!, (r) => ids.map((id) => `comment-${r}-${id}`));
      }),
      { numRuns: 300 },
    );
  });

  it('change reports compare only figures shown in each round', () => {
    fc.assert(
      fc.property(roundPairArb, ([baseline, evaluation]) => {
        const before = buildReport(baseline);
        const after = buildReport(evaluation);
        checkRound(baseline, before);
        checkRound(evaluation, after);
        const change = buildChangeReport(before, after, { focus: [{ type: 'competency', id: 'c0' }], ratersInBoth: 0 });
        const slotsOf = (report: ReportModel, id: string): FigureSlots => report.competencies.flatMap((c) => c.items).find((i) => i.id === id)!;
        for (const entry of change.items) {
          const [b, a] = [slotsOf(before, entry.id), slotsOf(after, entry.id)];
          checkComparison(entry.self, b.self, a.self);
          checkComparison(entry.allOthers, b.allOthers, a.allOthers);
          for (const group of entry.groups) {
            expect(before.shownGroupKeys).toContain(group.groupKey);
            expect(after.shownGroupKeys).toContain(group.groupKey);
            const figure = (slots: FigureSlots) => slots.groups.find((g) => g.groupKey === group.groupKey)!.figure;
            checkComparison(group.comparison, figure(b), figure(a));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** A comparison exists only between two shown figures with answers, and repeats exactly their numbers. */
function checkComparison(comparison: Comparison | NoComparison, before: Figure, after: Figure): void {
  if (!comparison.compared) return;
  if (before.withheld || after.withheld) throw new Error('compared a withheld figure');
  expect(comparison.baseline).toEqual({ mean: before.mean, n: before.n, sd: before.sd });
  expect(comparison.evaluation).toEqual({ mean: after.mean, n: after.n, sd: after.sd });
  if (comparison.ci !== null) expect(comparison.ci.lower <= comparison.difference && comparison.difference <= comparison.ci.upper).toBe(true);
}

describe('property helpers', () => {
  it('subsets lists every combination', () => {
    expect(subsets(['a', 'b'])).toEqual([[], ['a'], ['b'], ['a', 'b']]);
  });

  it('the generator produces rounds with withheld and shown figures alike', () => {
    // guards against a generator that would make the properties vacuous
    const samples = fc.sample(roundArb, { numRuns: 200, seed: 42 });
    const figures = samples.flatMap((input) => buildReport(input).competencies.flatMap((c) => c.items.flatMap((i) => [i.allOthers, ...i.groups.map((g) => g.figure)])));
    expect(figures.some((f) => f.withheld)).toBe(true);
    expect(figures.some((f) => !f.withheld && f.n >= 3)).toBe(true);
    const merged = samples.filter((input) => buildReport(input).groups.some((g) => g.status === 'merged'));
    expect(merged.length).toBeGreaterThan(0);
  });
});
