/**
 * The auditor of docs/anonymity.md: someone who keeps every number they were ever shown for a round (every
 * page load, export and release, every version) and solves equations over them.
 *
 * It knows the truth (who is in which group, who answered what, which responses each published
 * report was computed from), turns every published number into a linear equation over the
 * individual answers, checks that the number really is what that equation says (so it models what
 * was published, not what the engine believes it published), and then decides with exact rational
 * arithmetic whether some combination of the equations is supported on 1..k-1 anonymous raters.
 *
 * The unknowns are x[r][j], rater r's rating of item j, for the answers given (the auditor is
 * assumed to know who answered "not able to rate" where: the conservative choice). A published
 * mean with its n is the equation sum over the set = n x mean. A distribution gives one count per
 * scale point over the same set; a count of answers p is the sum of the indicators [x = p] over
 * the set, so the distribution's equations have exactly the set structure of the mean's, per point,
 * and a combination of them isolates raters exactly when the same combination of means would: the
 * auditor checks that each distribution is over the mean's set and counts the set once. Standard
 * deviations and r_wg are functions of the distribution. Competency figures couple the items of a
 * competency, so the equations are solved per competency (items of different competencies share no
 * unknown). Raters who are not anonymous (the client, the manager) are known: their unknowns are
 * removed before the search. Comments are texts, not numbers: for each published comment the
 * auditor intersects the responders of every block it was shown in, and removes the responders of
 * every shown block it was absent from; at least k anonymous candidates must remain.
 */
import type { CommentSection, CompetencyResult, Figure, FigureBase, FigureSlots, ItemFigure, Norm, PulseFigure, PulseReport, ReportModel } from '../../reports';

// ───────────── exact rationals ─────────────

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A rational number n / d, d > 0, in lowest terms. */
export class Rational {
  readonly n: bigint;
  readonly d: bigint;

  constructor(n: bigint, d = 1n) {
    if (d === 0n) throw new Error('division by zero');
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(n, d) || 1n;
    this.n = (sign * n) / g;
    this.d = (sign * d) / g;
  }

  static of(value: number): Rational {
    if (!Number.isInteger(value)) throw new Error(`not an integer: ${value}`);
    return new Rational(BigInt(value));
  }

  add(other: Rational): Rational {
    return new Rational(this.n * other.d + other.n * this.d, this.d * other.d);
  }

  sub(other: Rational): Rational {
    return new Rational(this.n * other.d - other.n * this.d, this.d * other.d);
  }

  mul(other: Rational): Rational {
    return new Rational(this.n * other.n, this.d * other.d);
  }

  div(other: Rational): Rational {
    return new Rational(this.n * other.d, this.d * other.n);
  }

  isZero(): boolean {
    return this.n === 0n;
  }

  equals(other: Rational): boolean {
    return this.n === other.n && this.d === other.d;
  }

  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }

  key(): string {
    return `${this.n}/${this.d}`;
  }
}

const ZERO = new Rational(0n);
const ONE = new Rational(1n);

/** Rank by Gauss-Jordan elimination over the rationals. */
export function rationalRank(rows: readonly Rational[][]): number {
  const matrix = rows.map((row) => [...row]);
  const width = matrix[0]?.length ?? 0;
  let rank = 0;
  for (let column = 0; column < width && rank < matrix.length; column++) {
    const pivot = matrix.findIndex((row, index) => index >= rank && !row[column]!.isZero());
    if (pivot === -1) continue;
    [matrix[rank], matrix[pivot]] = [matrix[pivot]!, matrix[rank]!];
    const pivotRow = matrix[rank]!;
    const inverse = ONE.div(pivotRow[column]!);
    for (let j = column; j < width; j++) pivotRow[j] = pivotRow[j]!.mul(inverse);
    for (let index = 0; index < matrix.length; index++) {
      if (index === rank) continue;
      const row = matrix[index]!;
      const factor = row[column]!;
      if (factor.isZero()) continue;
      for (let j = column; j < width; j++) row[j] = row[j]!.sub(factor.mul(pivotRow[j]!));
    }
    rank += 1;
  }
  return rank;
}

// ───────────── the truth ─────────────

export interface AuditedRater {
  /** Non-self group key, or the self group's key. */
  group: string;
  self: boolean;
  anonymous: boolean;
  /** Rating per item or focus area id on the engine's scale; null or missing = N/A. */
  ratings: Record<string, number | null>;
  /** Comment per question id; every text is unique across raters. */
  comments: Record<string, string>;
}

/** A published report: the raters whose responses it was computed from, and what it showed. */
export interface Publication {
  label: string;
  members: ReadonlySet<number>;
}

export interface Leak {
  where: string;
  raters: number[];
  detail: string;
}

type Equation = Map<string, Rational>;

export class Auditor {
  /** Equations per block (a competency, or a pulse focus area): cell "r:item" -> coefficient. */
  private readonly blocks = new Map<string, Map<string, Equation>>();
  /** For each comment text, every block's responder set it was shown in, and the shown blocks it was absent from. */
  private readonly commentSightings = new Map<string, { inside: Array<ReadonlySet<number>>; outside: Array<ReadonlySet<number>> }>();

  constructor(
    readonly raters: readonly AuditedRater[],
    readonly k: number,
    readonly scale: { min: number; max: number },
  ) {}

  /** Every number of a round report (a page load, an export, a release: they show the same model). */
  publishReport(publication: Publication, model: ReportModel): void {
    for (const competency of model.competencies) {
      for (const item of competency.items) this.publishSlots(publication, competency.id, item.id, item, 'item');
      this.publishCompetency(publication, competency);
    }
    this.publishComments(publication, model.comments, model.shownGroupKeys);
  }

  /** Every number of a pulse report. */
  publishPulse(publication: Publication, report: PulseReport): void {
    for (const area of report.focusAreas) {
      this.publishSlots(publication, area.id, area.id, area, 'pulse');
      for (const figure of this.figuresOf(area)) {
        if (figure.figure.withheld) continue;
        const pulse = figure.figure as PulseFigure;
        if (pulse.n === 0) continue;
        const values = this.setOf(publication, figure.groups, area.id).map((r) => this.raters[r]!.ratings[area.id]!);
        const shares = [values.filter((v) => v > 0).length, values.filter((v) => v === 0).length, values.filter((v) => v < 0).length];
        const published = [pulse.shareMore!, pulse.shareSame!, pulse.shareLess!].map((share) => share * pulse.n);
        shares.forEach((count, index) => this.expectNumber(published[index]!, count, `${publication.label} ${area.id} shares`));
      }
    }
    this.publishComments(publication, report.comments, report.shownGroupKeys);
  }

  /** The first combination of published numbers, or comment, that narrows anonymous raters to fewer than k; null if none. */
  findLeak(): Leak | null {
    for (const [block, equations] of this.blocks) {
      const leak = this.blockLeak(block, [...equations.values()]);
      if (leak) return leak;
    }
    return this.commentLeak();
  }

  /** How many distinct equations and comment sightings were collected (to show a test is not vacuous). */
  get size(): { equations: number; comments: number } {
    let equations = 0;
    for (const block of this.blocks.values()) equations += block.size;
    return { equations, comments: this.commentSightings.size };
  }

  // ───────────── turning numbers into equations ─────────────

  private figuresOf<T extends FigureBase>(slots: FigureSlots<T>): Array<{ figure: Figure<T>; groups: string[] }> {
    const nonSelf = [...new Set(this.raters.filter((r) => !r.self).map((r) => r.group))];
    return [{ figure: slots.allOthers, groups: nonSelf }, ...slots.groups.map((slot) => ({ figure: slot.figure, groups: [slot.groupKey] }))];
  }

  /** Non-self members of `groups` in the publication who answered `itemId`. */
  private setOf(publication: Publication, groups: readonly string[], itemId: string): number[] {
    return [...publication.members].filter((r) => {
      const rater = this.raters[r]!;
      return !rater.self && groups.includes(rater.group) && this.answered(rater, itemId);
    });
  }

  private answered(rater: AuditedRater, itemId: string): boolean {
    const value = rater.ratings[itemId];
    return typeof value === 'number' && Number.isInteger(value) && value >= this.scale.min && value <= this.scale.max;
  }

  private publishSlots(publication: Publication, block: string, itemId: string, slots: FigureSlots<ItemFigure> | FigureSlots<PulseFigure>, kind: 'item' | 'pulse'): void {
    for (const { figure, groups } of this.figuresOf<FigureBase>(slots as FigureSlots<FigureBase>)) {
      if (figure.withheld) {
        // Its cause is one of three rule names, the same for every rater set: it tells nothing of anyone's answers.
        const causeKnown = !('cause' in figure) || ['anonymous-minimum', 'too-few-answers'].includes(String(figure.cause));
        if (Object.keys(figure).filter((key) => key !== 'cause').sort().join() !== 'reason,withheld' || !causeKnown) throw new Error(`${publication.label} ${itemId}: a withheld figure shows more than its reason`);
        continue;
      }
      const set = this.setOf(publication, groups, itemId);
      const where = `${publication.label} ${itemId} [${groups.join('+')}]`;
      if (figure.n !== set.length) throw new Error(`${where}: n ${figure.n} but ${set.length} raters answered`);
      const values = set.map((r) => this.raters[r]!.ratings[itemId]!);
      const total = values.reduce((a, b) => a + b, 0);
      if (set.length === 0) continue;
      this.expectNumber(figure.mean! * set.length, total, `${where} mean`);
      if (kind === 'item') {
        const distribution = (figure as ItemFigure).distribution;
        distribution.forEach((count, index) => {
          const point = this.scale.min + index;
          if (count !== values.filter((v) => v === point).length) throw new Error(`${where}: the distribution is not over the mean's raters`);
        });
      }
      this.addEquation(block, new Map(set.map((r) => [`${r}:${itemId}`, ONE])));
    }
  }

  /**
   * A competency figure as the equation of its definition. The auditor knows two definitions and
   * uses the one that reproduces the published number exactly: the mean of the item means of the
   * same raters (docs/anonymity.md, rule 4), or the rater-weighted mean of raters' competency scores (what main
   * showed before: a rater with "not able to rate" on an item weighs more in it).
   */
  private publishCompetency(publication: Publication, competency: CompetencyResult): void {
    const itemIds = competency.items.map((item) => item.id);
    this.figuresOf(competency).forEach(({ figure, groups }, slot) => {
      if (figure.withheld || figure.mean === null) return;
      const where = `${publication.label} ${competency.id} [${groups.join('+')}]`;
      const itemFigures = competency.items.map((item) => (slot === 0 ? item.allOthers : item.groups[slot - 1]!.figure));
      const averaged = itemIds.filter((_, index) => {
        const itemFigure = itemFigures[index]!;
        return !itemFigure.withheld && itemFigure.mean !== null;
      });
      const itemMeans = new Map<string, Rational>();
      for (const id of averaged) {
        const weight = ONE.div(Rational.of(averaged.length)).div(Rational.of(this.setOf(publication, groups, id).length));
        for (const r of this.setOf(publication, groups, id)) itemMeans.set(`${r}:${id}`, weight);
      }
      if (averaged.length > 0 && this.matches(itemMeans, figure.mean)) {
        this.addEquation(competency.id, itemMeans);
        return;
      }
      const raterWeighted = this.raterWeighted(publication, groups, itemIds);
      if (raterWeighted && this.matches(raterWeighted, figure.mean)) {
        this.addEquation(competency.id, raterWeighted);
        return;
      }
      throw new Error(`${where}: ${figure.mean} is neither the mean of the item means nor a rater-weighted mean`);
    });
  }

  private raterWeighted(publication: Publication, groups: readonly string[], itemIds: readonly string[]): Equation | null {
    const scored = [...publication.members].filter((r) => {
      const rater = this.raters[r]!;
      const answered = itemIds.filter((id) => this.answered(rater, id)).length;
      return !rater.self && groups.includes(rater.group) && answered > 0 && answered * 2 >= itemIds.length;
    });
    if (scored.length === 0) return null;
    const equation: Equation = new Map();
    for (const r of scored) {
      const answered = itemIds.filter((id) => this.answered(this.raters[r]!, id));
      for (const id of answered) equation.set(`${r}:${id}`, ONE.div(Rational.of(scored.length)).div(Rational.of(answered.length)));
    }
    return equation;
  }

  /** Whether the equation, evaluated on the true answers, gives the published number (within float rounding). */
  private matches(equation: Equation, published: number): boolean {
    let value = ZERO;
    for (const [cell, coefficient] of equation) {
      const [r, id] = cell.split(':') as [string, string];
      value = value.add(coefficient.mul(Rational.of(this.raters[Number(r)]!.ratings[id]!)));
    }
    return Math.abs(value.toNumber() - published) <= 1e-9;
  }

  private expectNumber(published: number, truth: number, where: string): void {
    if (Math.abs(published - truth) > 1e-6) throw new Error(`${where}: published ${published}, the answers give ${truth}`);
  }

  private addEquation(block: string, equation: Equation): void {
    const key = [...equation.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cell, c]) => `${cell}=${c.key()}`).join(',');
    if (!this.blocks.has(block)) this.blocks.set(block, new Map());
    this.blocks.get(block)!.set(key, equation);
  }

  private publishComments(publication: Publication, sections: readonly CommentSection[], shownGroupKeys: readonly string[]): void {
    const nonSelf = [...new Set(this.raters.filter((r) => !r.self).map((r) => r.group))];
    for (const section of sections) {
      const written = this.raters.flatMap((rater, r) => {
        const text = rater.comments[section.id]?.trim() ?? '';
        return text === '' ? [] : [{ r, text }];
      });
      for (const block of section.blocks) {
        if (block.withheld) continue;
        const groups = block.source === 'self' ? this.raters.filter((r) => r.self).map((r) => r.group) : block.source === 'group' ? [block.groupKey!] : nonSelf.filter((g) => !shownGroupKeys.includes(g));
        const responders = new Set([...publication.members].filter((r) => groups.includes(this.raters[r]!.group)));
        const shown = new Set(block.comments);
        for (const text of shown) {
          if (!written.some((entry) => entry.text === text && responders.has(entry.r))) throw new Error(`${publication.label}: comment "${text}" shown in a block none of whose responders wrote it`);
        }
        // Every comment ever written on this question: seen in this block, or known not to be from its responders.
        for (const { text } of written) {
          const sighting = this.commentSightings.get(text) ?? { inside: [], outside: [] };
          (shown.has(text) ? sighting.inside : sighting.outside).push(responders);
          this.commentSightings.set(text, sighting);
        }
      }
    }
  }

  // ───────────── the search ─────────────

  private blockLeak(block: string, equations: Equation[]): Leak | null {
    // Known raters (self, not anonymous) are removed: their answers can be subtracted.
    const unknown = (cell: string) => {
      const rater = this.raters[Number(cell.split(':')[0])]!;
      return rater.anonymous && !rater.self;
    };
    const rows = equations.map((equation) => new Map([...equation].filter(([cell]) => unknown(cell)))).filter((row) => row.size > 0);
    if (rows.length === 0) return null;
    const cells = [...new Set(rows.flatMap((row) => [...row.keys()]))];
    // Raters whose unknowns have the same coefficients in every equation are interchangeable: every
    // combination gives them the same weight, so a smallest support is a union of such classes, and
    // their columns are duplicates (one per class and item is enough for any rank).
    const signature = (rater: number) =>
      cells
        .filter((cell) => Number(cell.split(':')[0]) === rater)
        .map((cell) => `${cell.split(':')[1]}:${rows.map((row) => row.get(cell)?.key() ?? '0').join(' ')}`)
        .sort()
        .join('|');
    const raters = [...new Set(cells.map((cell) => Number(cell.split(':')[0])))];
    const classes = new Map<string, number[]>();
    for (const r of raters) classes.set(signature(r), [...(classes.get(signature(r)) ?? []), r]);
    const classList = [...classes.values()];
    const columnsOf = (members: readonly number[]) => {
      const representative = members[0]!;
      return cells.filter((cell) => Number(cell.split(':')[0]) === representative);
    };
    const matrix = (excluded: ReadonlySet<number>) => {
      const columns = classList.flatMap((members, index) => (excluded.has(index) ? [] : columnsOf(members)));
      return rows.map((row) => columns.map((cell) => row.get(cell) ?? ZERO));
    };
    const full = rationalRank(matrix(new Set()));
    const small = classList.map((members, index) => ({ members, index })).filter(({ members }) => members.length < this.k);
    const search = (from: number, chosen: Set<number>, count: number): Leak | null => {
      for (let next = from; next < small.length; next++) {
        const { members, index } = small[next]!;
        if (count + members.length >= this.k) continue;
        chosen.add(index);
        if (rationalRank(matrix(chosen)) < full) {
          const isolated = [...chosen].flatMap((c) => classList[c]!);
          return { where: block, raters: isolated, detail: `a combination of published numbers on ${block} rests on ${isolated.length} anonymous rater(s)` };
        }
        const deeper = search(next + 1, chosen, count + members.length);
        if (deeper) return deeper;
        chosen.delete(index);
      }
      return null;
    };
    return search(0, new Set(), 0);
  }

  private commentLeak(): Leak | null {
    for (const [text, { inside, outside }] of this.commentSightings) {
      if (inside.length === 0) continue;
      let candidates = [...inside[0]!];
      for (const set of inside.slice(1)) candidates = candidates.filter((r) => set.has(r));
      for (const set of outside) candidates = candidates.filter((r) => !set.has(r));
      const author = this.raters.findIndex((r) => Object.values(r.comments).includes(text));
      const rater = this.raters[author]!;
      if (!rater.anonymous || rater.self) continue;
      const anonymous = candidates.filter((r) => this.raters[r]!.anonymous && !this.raters[r]!.self);
      if (anonymous.length < this.k) return { where: `comment "${text}"`, raters: anonymous, detail: `narrowed to ${anonymous.length} anonymous rater(s)` };
    }
    return null;
  }
}

/**
 * The auditor of docs/anonymity.md, extended to norms: leaders are the people, each norm publishes
 * for every subject an average and any number of counts ("leaders below x") over its leaders, so a
 * subject's equations are the indicator rows of the norms' leader sets. No combination of them may
 * rest on 1..k-1 leaders. Checked by brute force over individual leaders, with exact rationals; returns the
 * first set of leaders some combination isolates, or null. Team reports are such aggregates too (their
 * footprints: which leaders stand behind each shown figure); leaders whose own figures a team report
 * showed by name are `known`: their unknowns are removed before the search.
 */
export function normAuditorLeak(norms: ReadonlyArray<Pick<Norm, 'subjects'> | { subjects: Record<string, { leaderIds: readonly string[] }> }>, k: number, known: ReadonlySet<string> = new Set()): string[] | null {
  for (const subject of [...new Set(norms.flatMap((norm) => Object.keys(norm.subjects)))]) {
    const sets = norms.map((norm) => new Set((norm.subjects[subject]?.leaderIds ?? []).filter((leader) => !known.has(leader))));
    const leaders = [...new Set(sets.flatMap((set) => [...set]))].sort();
    const rows = sets.map((set) => leaders.map((id) => (set.has(id) ? new Rational(1n) : new Rational(0n))));
    const full = rationalRank(rows);
    const subsets = (from: number, size: number): string[][] =>
      size === 0 ? [[]] : leaders.slice(from).flatMap((id, offset) => subsets(from + offset + 1, size - 1).map((rest) => [id, ...rest]));
    for (let size = 1; size < k; size++) {
      for (const isolated of subsets(0, size)) {
        const others = rows.map((row) => row.filter((_, index) => !isolated.includes(leaders[index]!)));
        if (rationalRank(others) < full) return isolated;
      }
    }
  }
  return null;
}
