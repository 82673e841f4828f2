import type { Norm, NormSubject } from '../../reports/index';
import { isPostgres } from '../db/connect';
import type { Db, NormsTable } from '../db/schema';
import type { PageRequest } from '../lists';

/** The questionnaire as a norm keeps it, for its page: competencies with their items, and the scale. */
export interface NormStructure {
  scalePoints: number;
  competencies: Array<{ id: string; name: string; items: Array<{ id: string; text: string }> }>;
}

/** A norm as lists show it: everything but its values. */
export interface NormSummary {
  id: string;
  coachId: string;
  questionnaireVersion: string;
  questionnaireName: string;
  /** 1, 2, … per coach and questionnaire version. */
  sequence: number;
  name: string;
  leaders: number;
  minimumLeaders: number;
  k: number;
  createdAt: string;
  archivedAt: string | null;
}

/** A norm with its values. */
export interface StoredNorm extends NormSummary {
  structure: NormStructure;
  norm: Norm;
}

/** Where a page of the norm list starts: after the norm created at `createdAt` with this id. */
export type NormPosition = [createdAt: string, id: string];

const SUMMARY_COLUMNS = ['id', 'coach_id', 'questionnaire_version', 'questionnaire_name', 'sequence', 'name', 'leaders', 'minimum_leaders', 'k', 'created_at', 'archived_at'] as const;

type SummaryRow = Pick<NormsTable, (typeof SUMMARY_COLUMNS)[number]>;

function toSummary(row: SummaryRow): NormSummary {
  return {
    id: row.id,
    coachId: row.coach_id,
    questionnaireVersion: row.questionnaire_version,
    questionnaireName: row.questionnaire_name,
    sequence: Number(row.sequence),
    name: row.name,
    leaders: Number(row.leaders),
    minimumLeaders: Number(row.minimum_leaders),
    k: Number(row.k),
    createdAt: row.created_at,
    archivedAt: row.archived_at,
  };
}

/**
 * How a norm's subjects are stored: every leader id once, and per subject the values (ascending)
 * and the positions of its leaders in that list (ascending, apart from the values, so the stored
 * lists pair no leader with a value). A third of the size of the ids written out per subject,
 * which keeps the write of a norm of hundreds of leaders short.
 */
interface StoredSubjects {
  leaders: string[];
  subjects: Record<string, { values: number[]; leaders: number[] }>;
}

function encodeSubjects(subjects: Record<string, NormSubject>): string {
  const leaders = [...new Set(Object.values(subjects).flatMap((subject) => subject.leaderIds))].sort();
  const position = new Map(leaders.map((leader, index) => [leader, index]));
  const encoded: StoredSubjects['subjects'] = {};
  for (const [id, subject] of Object.entries(subjects)) encoded[id] = { values: subject.values, leaders: subject.leaderIds.map((leader) => position.get(leader)!).sort((a, b) => a - b) };
  return JSON.stringify({ leaders, subjects: encoded } satisfies StoredSubjects);
}

function decodeSubjects(text: string): Record<string, NormSubject> {
  const stored = JSON.parse(text) as StoredSubjects;
  const subjects: Record<string, NormSubject> = {};
  for (const [id, subject] of Object.entries(stored.subjects)) subjects[id] = { values: subject.values, leaderIds: subject.leaders.map((index) => stored.leaders[index]!) };
  return subjects;
}

function toStoredNorm(row: SummaryRow & Pick<NormsTable, 'structure' | 'subjects'>): StoredNorm {
  const summary = toSummary(row);
  return { ...summary, structure: JSON.parse(row.structure) as NormStructure, norm: { leaders: summary.leaders, subjects: decodeSubjects(row.subjects) } };
}

export async function insertNorm(db: Db, norm: StoredNorm): Promise<void> {
  await db
    .insertInto('norms')
    .values({
      id: norm.id,
      coach_id: norm.coachId,
      questionnaire_version: norm.questionnaireVersion,
      questionnaire_name: norm.questionnaireName,
      sequence: norm.sequence,
      name: norm.name,
      leaders: norm.leaders,
      minimum_leaders: norm.minimumLeaders,
      k: norm.k,
      structure: JSON.stringify(norm.structure),
      subjects: encodeSubjects(norm.norm.subjects),
      created_at: norm.createdAt,
      archived_at: norm.archivedAt,
    })
    .execute();
}

/** Only ever the coach's own norm, with its values. */
export async function findOwnNorm(db: Db, coachId: string, id: string): Promise<StoredNorm | undefined> {
  const row = await db.selectFrom('norms').select([...SUMMARY_COLUMNS, 'structure', 'subjects']).where('id', '=', id).where('coach_id', '=', coachId).executeTakeFirst();
  return row && toStoredNorm(row);
}

/** A page of the coach's norms (archived or not), newest first, read with `limit + 1` rows. */
export async function listOwnNorms(db: Db, coachId: string, filter: { archived: boolean; version: string | null }, page: PageRequest<NormPosition>): Promise<NormSummary[]> {
  const rows = await db
    .selectFrom('norms')
    .select(SUMMARY_COLUMNS)
    .where('coach_id', '=', coachId)
    .where('archived_at', filter.archived ? 'is not' : 'is', null)
    .$if(filter.version !== null, (query) => query.where('questionnaire_version', '=', filter.version!))
    .$if(page.after !== null, (query) => {
      const [createdAt, id] = page.after!;
      return query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toSummary);
}

/** Every visible (not archived) norm of the coach on the version, with its values: what a new norm is checked against. */
export async function listVisibleNormsOfVersion(db: Db, coachId: string, version: string): Promise<StoredNorm[]> {
  const rows = await db
    .selectFrom('norms')
    .select([...SUMMARY_COLUMNS, 'structure', 'subjects'])
    .where('coach_id', '=', coachId)
    .where('questionnaire_version', '=', version)
    .where('archived_at', 'is', null)
    .orderBy('sequence')
    .execute();
  return rows.map(toStoredNorm);
}

/** The ids of the coach's visible norms on the version: whether the visible set changed since it was checked. */
export async function listVisibleNormIds(db: Db, coachId: string, version: string): Promise<string[]> {
  const rows = await db.selectFrom('norms').select('id').where('coach_id', '=', coachId).where('questionnaire_version', '=', version).where('archived_at', 'is', null).execute();
  return rows.map((row) => row.id);
}

/** The highest sequence number the coach's norms on the version have (0 for none). */
export async function latestSequence(db: Db, coachId: string, version: string): Promise<number> {
  const row = await db
    .selectFrom('norms')
    .select((eb) => eb.fn.max('sequence').as('sequence'))
    .where('coach_id', '=', coachId)
    .where('questionnaire_version', '=', version)
    .executeTakeFirst();
  return Number(row?.sequence ?? 0);
}

export async function setNormArchived(db: Db, id: string, archivedAt: string | null): Promise<void> {
  await db.updateTable('norms').set({ archived_at: archivedAt }).where('id', '=', id).execute();
}

/**
 * Holds the coach's norms until the transaction ends, so two norms checked at the same moment are
 * checked one after the other (each against the other). PostgreSQL locks the coach's row; SQLite
 * takes its write lock first with a write that changes nothing.
 */
export async function lockCoachNorms(db: Db, coachId: string): Promise<void> {
  if (isPostgres(db)) await db.selectFrom('coaches').select('id').where('id', '=', coachId).forUpdate().execute();
  else await db.updateTable('coaches').set((eb) => ({ id: eb.ref('id') })).where('id', '=', coachId).execute();
}
