/**
 * Public types of the report engine: what goes in (a round's questionnaire, rater groups and
 * responses) and what comes out (plain, JSON-serialisable report models).
 *
 * Every output type is plain data: no Map, no class instance, no function, no `undefined` field,
 * no NaN or Infinity. `JSON.parse(JSON.stringify(model))` gives back an equal model, so the same
 * object can feed the HTML page, the CSV/JSON exports and the JSON API. Numbers are never rounded
 * here: rounding is a presentation decision.
 */

// ───────────────────────────── input ─────────────────────────────

/** The rating scale: integer points 1..K plus a "not able to rate" (N/A) choice. */
export interface Scale {
  /** K, the number of points (4..7 in the product; the maths works for any K >= 2). */
  points: number;
  /** K labels; index 0 labels point 1. */
  labels: string[];
  /** Label of the N/A choice, e.g. "Not able to rate". */
  naLabel: string;
}

/** One behavioural statement rated on the scale. */
export interface Item {
  id: string;
  text: string;
}

/** A skill area: a group of items. */
export interface Competency {
  id: string;
  name: string;
  description: string;
  items: Item[];
}

/** A free-text question. */
export interface OpenQuestion {
  id: string;
  text: string;
}

/** The questionnaire as it was when the round was launched. */
export interface QuestionnaireSnapshot {
  name: string;
  description: string;
  scale: Scale;
  competencies: Competency[];
  openQuestions: OpenQuestion[];
}

/**
 * A rater group of the round. Exactly one group has `self: true` (the client). The array order of
 * the groups is their display order.
 */
export interface RaterGroup {
  key: string;
  label: string;
  /** The group's own minimum number of raters; an anonymous group never uses less than k. */
  minimum: number;
  /** False for the manager by default: its raters are told their answers are visible as such. */
  anonymous: boolean;
  self: boolean;
}

/** One submitted response. Not linked to any person, only to its group. */
export interface ResponseInput {
  groupKey: string;
  /** Rating per item id; `null` or a missing key means N/A. */
  ratings: Record<string, number | null>;
  /** Answer per open question id. */
  comments: Record<string, string>;
}

/** Everything `buildReport` needs for one round. */
export interface ReportInput {
  /** The round id: seeds the stable random order of comments. */
  seed: string;
  questionnaire: QuestionnaireSnapshot;
  groups: RaterGroup[];
  /** Round-wide anonymity minimum; default 3. */
  k?: number;
  /** Blind-spot / hidden-strength threshold; default (K-1)/4. */
  tau?: number;
  /** "High" agreement cut on the others mean; default 1 + 0.75*(K-1) (4.0 on a 5-point scale). */
  strengthCut?: number;
  /** Invitations per group key. */
  invited: Record<string, number>;
  responses: ResponseInput[];
}

// ───────────────────────────── figures ─────────────────────────────

/** What every shown figure has: how many raters stand behind it and their mean. */
export interface FigureBase {
  withheld: false;
  /** Raters who answered (for a competency: the most raters behind any of its averaged items). */
  n: number;
  /** Mean; null only when nobody answered. */
  mean: number | null;
}

/**
 * A figure that may be shown: the aggregate of one set of raters (self, one group, all others) on
 * one item or focus area.
 */
export interface ShownFigure extends FigureBase {
  /** Raters of the set who responded but answered N/A. */
  nNA: number;
  /** Sample standard deviation (n-1 denominator); null when n < 2. */
  sd: number | null;
}

/**
 * A competency figure, derived from the item figures of the same set of raters (docs/anonymity.md, rule 4): the
 * mean of the item means shown for that set, when at least half of the competency's items have
 * one. Being a fixed combination of numbers already shown, it cannot reveal what they hide (a
 * rater-weighted mean of raters' competency scores would: a rater who skipped an item weighs more
 * in it than in the item means). No spread: the rater-level scores behind one would be new.
 */
export interface CompetencyFigure extends FigureBase {
  /** How many of the competency's items entered the mean. */
  itemsAveraged: number;
  /** How many items the competency has. */
  itemCount: number;
}

/** A figure of an item: adds the answers per scale point. */
export interface ItemFigure extends ShownFigure {
  /** Count of answers per scale point; index 0 = point 1; length K. */
  distribution: number[];
}

/** A figure of a pulse check-in on the -3..+3 scale. */
export interface PulseFigure extends ShownFigure {
  /** Fraction of answering raters above 0 ("more effective"); null when n = 0. */
  shareMore: number | null;
  /** Fraction at exactly 0. */
  shareSame: number | null;
  /** Fraction below 0 ("less effective"). */
  shareLess: number | null;
}

/**
 * Why a figure is withheld, for a page to phrase in its reader's language (`reason` is the English):
 * - `anonymous-minimum`: fewer than k anonymous raters answered;
 * - `too-few-answers`: the group's own figure would rest on too few answers;
 * - `half-items`: fewer than half of a competency's items have a figure for these raters.
 */
export type WithheldCause = 'anonymous-minimum' | 'too-few-answers' | 'half-items';

/** A figure hidden by the anonymity rule. It deliberately carries no mean, sd, distribution or n. */
export interface WithheldFigure {
  withheld: true;
  /** Human-readable reason, e.g. "too few answers on this item". */
  reason: string;
  /** Absent in reports frozen before causes were recorded, and where `reason` is the only word (team reports). */
  cause?: WithheldCause;
}

/** Either a shown figure or a withheld one. */
export type Figure<T extends FigureBase = ShownFigure> = T | WithheldFigure;

/** The figure of one group that has its own column at round level. */
export interface GroupFigure<T extends FigureBase = ShownFigure> {
  groupKey: string;
  label: string;
  figure: Figure<T>;
}

/** The figures of one item, competency or focus area. */
export interface FigureSlots<T extends FigureBase = ShownFigure> {
  /** The client's own rating; never withheld (n = 0 and mean null when there is no self answer). */
  self: T;
  /** Every non-self rater pooled with weight 1; withheld when fewer than k anonymous raters answered. */
  allOthers: Figure<T>;
  /** One entry per group shown on its own at round level, in display order. */
  groups: GroupFigure<T>[];
}

// ───────────────────────────── groups and readiness ─────────────────────────────

/**
 * What the round-level anonymity decision did with a group:
 * - `self`: the client's own group;
 * - `shown`: has its own column;
 * - `below-minimum`: fewer responses than the group's minimum; counted in All others;
 * - `merged`: reached its minimum but merged into All others to protect a smaller group;
 * - `no-responses`: nobody in the group responded.
 */
export type GroupStatus = 'self' | 'shown' | 'below-minimum' | 'merged' | 'no-responses';

/** Response counts and the round-level decision for one rater group. */
export interface GroupSummary {
  key: string;
  label: string;
  self: boolean;
  anonymous: boolean;
  /** The minimum configured for the group. */
  minimum: number;
  /** The minimum applied: max(minimum, k) if anonymous, max(minimum, 1) otherwise, 1 for self. */
  effectiveMinimum: number;
  invited: number;
  completed: number;
  status: GroupStatus;
  /** True for self and for groups with their own column. */
  shownOnItsOwn: boolean;
  /** Why, e.g. "Peers: 2 responses, fewer than the minimum of 3; counted in All others". */
  reason: string;
  /** More responses needed to reach the effective minimum (0 once reached, even if merged). */
  moreResponsesNeeded: number;
}

/** Whether a round has enough responses to make a report worth reading. */
export interface Readiness {
  /** At least k non-self responses. */
  ready: boolean;
  k: number;
  nonSelfResponses: number;
  anonymousResponses: number;
  /** More non-self responses needed to reach k (0 when ready). */
  moreResponsesNeeded: number;
}

// ───────────────────────────── comments ─────────────────────────────

/**
 * One block of comments under one heading. `source` says whose: the client (`self`), a group shown
 * on its own (`group`, with its key) or everyone else pooled (`all-others`).
 */
export type CommentBlock =
  | { source: 'self' | 'group' | 'all-others'; groupKey: string | null; label: string; withheld: false; comments: string[] }
  | { source: 'all-others'; groupKey: null; label: string; withheld: true; reason: string; /** Absent in reports frozen before it was recorded. */ moreResponsesNeeded?: number };

/** The comments on one open question (or one pulse focus area). Empty blocks are left out. */
export interface CommentSection {
  /** Open question id (focus area id in a pulse report). */
  id: string;
  /** Question text (focus area label in a pulse report). */
  text: string;
  blocks: CommentBlock[];
}

// ───────────────────────────── charts ─────────────────────────────

/** One series of a chart; `kind` and `groupKey` identify it without relying on the label. */
export interface ChartDataset {
  kind: 'self' | 'all-others' | 'group';
  groupKey: string | null;
  label: string;
  /** One value per label; null where withheld or unanswered. */
  data: Array<number | null>;
}

/** A bar/radar chart: one label per category and one dataset per series. */
export interface ChartData {
  labels: string[];
  datasets: ChartDataset[];
}

/** Marks a gap bar: the gap reached tau in either direction, or not. */
export type GapMarker = 'blind-spot' | 'hidden-strength' | 'none';

/** Self minus others per competency, each bar marked. */
export interface GapChartData {
  labels: string[];
  data: Array<number | null>;
  markers: GapMarker[];
}

/** Answers per scale point of one item for self, all others and each shown group. */
export interface ItemDistributionChart {
  itemId: string;
  itemText: string;
  /** The scale labels. */
  labels: string[];
  /** Counts per scale point; `data` entries are null where the figure is withheld. */
  datasets: ChartDataset[];
}

// ───────────────────────────── report model ─────────────────────────────

/** The settings the report was computed with, defaults resolved. */
export interface ReportSettings {
  /** K. */
  scalePoints: number;
  scaleLabels: string[];
  naLabel: string;
  k: number;
  tau: number;
  strengthCut: number;
  /** (1 + K) / 2. */
  midpoint: number;
  /** (K^2 - 1) / 12, the variance of a uniform answer, the r_wg reference. */
  uniformVariance: number;
}

/** Within-group agreement of All others on an item (only when n >= 3). */
export interface RaterAgreement {
  sd: number;
  /** 1 - s^2 / uniformVariance, truncated to [0, 1]. */
  rwg: number;
  /** r_wg below 0.5. */
  disagree: boolean;
}

/** A gap at or beyond tau: self over others (blind spot) or others over self (hidden strength). */
export type Finding = 'blind-spot' | 'hidden-strength';

/**
 * Self-other agreement of a competency: over-/under-rater when the gap reaches tau, otherwise in
 * agreement, qualified "high" (others >= strength cut) or "low" (others < midpoint).
 */
export type AgreementCategory = 'over-rater' | 'under-rater' | 'in-agreement-high' | 'in-agreement-low' | 'in-agreement';

/** Everything the report shows about one item. */
export interface ItemResult extends FigureSlots<ItemFigure> {
  id: string;
  text: string;
  competencyId: string;
  /** Self mean minus All others mean; null unless both are shown with a mean. */
  gap: number | null;
  finding: Finding | null;
  agreement: RaterAgreement | null;
}

/** Everything the report shows about one competency (figures derived from its item figures). */
export interface CompetencyResult extends FigureSlots<CompetencyFigure> {
  id: string;
  name: string;
  description: string;
  gap: number | null;
  finding: Finding | null;
  selfOtherAgreement: AgreementCategory | null;
  items: ItemResult[];
}

/** An item in the strengths or development areas list. */
export interface RankedItem {
  rank: number;
  itemId: string;
  itemText: string;
  competencyId: string;
  competencyName: string;
  othersMean: number;
  selfMean: number | null;
  gap: number | null;
}

/** An item or competency whose gap reached tau. */
export interface GapFinding {
  type: 'competency' | 'item';
  id: string;
  label: string;
  competencyId: string;
  selfMean: number;
  othersMean: number;
  gap: number;
}

/** The report of one round. */
export interface ReportModel {
  questionnaire: { name: string; description: string };
  settings: ReportSettings;
  /** Every group of the round in display order, self included, with counts and decision. */
  groups: GroupSummary[];
  /** Keys of the non-self groups with their own column, in display order. */
  shownGroupKeys: string[];
  readiness: Readiness;
  competencies: CompetencyResult[];
  /** Up to 5 items with the highest All others mean. */
  strengths: RankedItem[];
  /** Up to 5 items with the lowest All others mean, strengths excluded. */
  developmentAreas: RankedItem[];
  /** Competencies first, then items; each by gap size, then questionnaire order. */
  blindSpots: GapFinding[];
  hiddenStrengths: GapFinding[];
  comments: CommentSection[];
  charts: {
    competencyOverview: ChartData;
    gap: GapChartData;
    itemDistributions: ItemDistributionChart[];
  };
  /** Anything the engine ignored or wants the reader to know, as sentences. */
  notes: string[];
}

// ───────────────────────────── change report ─────────────────────────────

/** A competency or item chosen as a development goal. */
export interface FocusRef {
  type: 'competency' | 'item';
  id: string;
}

/** Options of `buildChangeReport`. */
export interface ChangeOptions {
  focus: FocusRef[];
  /** How many raters answered both rounds: echoed as a count only. */
  ratersInBoth: number;
}

/** Verdict of a comparison: reliable only when the 95% interval excludes 0. */
export type ChangeVerdict = 'reliable-improvement' | 'reliable-decline' | 'no-reliable-change';

/** One round's side of a comparison. */
export interface ComparedSide {
  mean: number;
  /** Raters behind the figure (for a competency: the most behind any of its compared items). */
  n: number;
  /** Null for a competency, whose figure is an average of item figures. */
  sd: number | null;
}

/** Welch's 95% confidence interval of the difference of means. */
export interface ConfidenceInterval {
  lower: number;
  upper: number;
  level: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Standard error of the difference. */
  se: number;
}

/** A comparison that could be made (both figures shown, both with answers). */
export interface Comparison {
  compared: true;
  baseline: ComparedSide;
  evaluation: ComparedSide;
  /** Evaluation mean minus baseline mean. */
  difference: number;
  ci: ConfidenceInterval | null;
  /** difference / pooled SD; null when it cannot be estimated. */
  effectSize: number | null;
  verdict: ChangeVerdict;
  /** Why there is no interval or effect size, e.g. "too few raters to estimate"; null otherwise. */
  reason: string | null;
  /** For a competency, how many of its items' comparisons it averages; null for an item. */
  itemsCompared: number | null;
}

/** A comparison that could not be made, and why. */
export interface NoComparison {
  compared: false;
  reason: string;
}

/** One group's comparison on one competency or item. */
export interface GroupComparison {
  groupKey: string;
  label: string;
  comparison: Comparison | NoComparison;
}

/** The change of one competency or item between two rounds. */
export interface ChangeEntry {
  type: 'competency' | 'item';
  id: string;
  label: string;
  /** The competency of an item (its own id for a competency). */
  competencyId: string;
  focus: boolean;
  /** False when the competency or item is missing in one round. */
  comparable: boolean;
  /** Why it is not comparable; null when comparable. */
  reason: string | null;
  self: Comparison | NoComparison;
  allOthers: Comparison | NoComparison;
  /** One entry per group shown on its own in both rounds. */
  groups: GroupComparison[];
}

/** A reliable (or not) change of All others, ready to be written as a sentence. */
export interface ChangeHeadline {
  type: 'competency' | 'item';
  id: string;
  label: string;
  baselineMean: number;
  evaluationMean: number;
  difference: number;
  ciLower: number | null;
  ciUpper: number | null;
  effectSize: number | null;
}

/** What changed, for All others: focus areas and the rest separately. */
export interface ChangeSummary {
  focus: {
    improvements: ChangeHeadline[];
    declines: ChangeHeadline[];
    noReliableChange: ChangeHeadline[];
    /** Focus areas without an All others comparison (withheld, missing, unknown). */
    notCompared: Array<{ type: 'competency' | 'item'; id: string; label: string; reason: string }>;
  };
  other: {
    improvements: ChangeHeadline[];
    declines: ChangeHeadline[];
  };
}

/** Counts of one group in both rounds. */
export interface GroupRoundCounts {
  key: string;
  label: string;
  baseline: { invited: number; completed: number; status: GroupStatus } | null;
  evaluation: { invited: number; completed: number; status: GroupStatus } | null;
  /** Shown on its own in both rounds, hence compared. */
  compared: boolean;
}

/** A focus area as the change report found it. */
export interface FocusAreaStatus extends FocusRef {
  /** Competency name or item text; the id when it is in neither questionnaire. */
  label: string;
  found: boolean;
}

/** Evaluation against baseline. */
export interface ChangeReport {
  settings: { scalePoints: number; scaleLabels: string[]; confidenceLevel: number };
  groups: GroupRoundCounts[];
  ratersInBoth: number;
  focusAreas: FocusAreaStatus[];
  /** Focus competencies first (in focus order), then the rest in questionnaire order. */
  competencies: ChangeEntry[];
  /** Focus items first (in focus order), then the rest in questionnaire order. */
  items: ChangeEntry[];
  summary: ChangeSummary;
  charts: {
    /** All others per competency: datasets "Baseline" and "Evaluation". */
    competencies: { labels: string[]; datasets: Array<{ key: 'baseline' | 'evaluation'; label: string; data: Array<number | null> }> };
    /** All others before/after per focus area. */
    focusAreas: Array<FocusRef & { label: string; baseline: number | null; evaluation: number | null }>;
  };
  notes: string[];
}

// ───────────────────────────── pulse ─────────────────────────────

/** A focus area asked about in a pulse check-in. */
export interface PulseFocusArea {
  id: string;
  label: string;
}

/** One pulse response: a -3..+3 rating per focus area (null = N/A) and optional comments. */
export interface PulseResponseInput {
  groupKey: string;
  ratings: Record<string, number | null>;
  comments: Record<string, string>;
}

/** Everything `buildPulseReport` needs. */
export interface PulseInput {
  seed: string;
  groups: RaterGroup[];
  /** Round-wide anonymity minimum; default 3. */
  k?: number;
  focusAreas: PulseFocusArea[];
  invited: Record<string, number>;
  responses: PulseResponseInput[];
}

/** The figures of one focus area. */
export interface PulseFocusResult extends FigureSlots<PulseFigure> {
  id: string;
  label: string;
}

/** The report of a pulse check-in. */
export interface PulseReport {
  settings: { k: number; scaleMin: number; scaleMax: number };
  groups: GroupSummary[];
  shownGroupKeys: string[];
  readiness: Readiness;
  focusAreas: PulseFocusResult[];
  /** One section per focus area. */
  comments: CommentSection[];
  /** Mean per focus area for self, all others and each shown group. */
  charts: { means: ChartData };
  notes: string[];
}

// ───────────────────────────── versions ─────────────────────────────

/**
 * An engine input whose responses say which published version they joined: `null` for a response
 * in no version yet (every response while a round is open for the first time, late answers after
 * a reopen until they may be published).
 */
export type VersionedInput<T extends { responses: ReadonlyArray<{ groupKey: string }> }> = Omit<T, 'responses'> & {
  responses: Array<T['responses'][number] & { version: number | null }>;
};

/** Responses in no published version yet. */
export interface HeldBack {
  total: number;
  /** Of them, raters of anonymous groups (not self, not the manager). */
  anonymous: number;
  /** Per group key (self included). */
  byGroup: Record<string, number>;
}

/** Why a candidate version may not be published: on `subject`, some combination of published
 * numbers would rest on `raters` (fewer than k) anonymous raters of `groups`. */
export interface VersionLeak {
  /** Item or focus area id, or "#comments". */
  subject: string;
  groups: string[];
  raters: number;
}

/** The outcome of `proposeRoundVersion` / `proposePulseVersion`. */
export interface VersionProposal {
  /** True when version `version` may be published now with every held-back response. */
  publish: boolean;
  version: number;
  held: HeldBack;
  /** Counts of all responses so far (held back included): ready once k people other than the client answered. */
  readiness: Readiness;
  /** What stops publication, when a leak does. */
  leak: VersionLeak | null;
}
