import type { Db } from '../db/schema';
import type { ReportModel } from '../../reports/types';

export interface Release {
  id: string;
  roundId: string;
  version: number;
  note: string;
  report: ReportModel;
  /** The round version released; null for releases made before versions existed. */
  reportVersion: number | null;
  releasedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  supersededAt: string | null;
}

type ReleaseRow = {
  id: string;
  round_id: string;
  version: number;
  note: string;
  report: string;
  report_version: number | null;
  released_at: string;
  expires_at: string;
  revoked_at: string | null;
  superseded_at: string | null;
};

function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    roundId: row.round_id,
    version: Number(row.version),
    note: row.note,
    report: JSON.parse(row.report) as ReportModel,
    reportVersion: row.report_version === null ? null : Number(row.report_version),
    releasedAt: row.released_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    supersededAt: row.superseded_at,
  };
}

export async function listReleases(db: Db, roundId: string): Promise<Release[]> {
  const rows = await db.selectFrom('report_releases').selectAll().where('round_id', '=', roundId).orderBy('version', 'desc').execute();
  return rows.map(toRelease);
}

export async function insertRelease(db: Db, release: Omit<Release, 'revokedAt' | 'supersededAt'> & { tokenHash: string }): Promise<void> {
  await db
    .insertInto('report_releases')
    .values({
      id: release.id,
      round_id: release.roundId,
      version: release.version,
      note: release.note,
      report: JSON.stringify(release.report),
      report_version: release.reportVersion,
      token_hash: release.tokenHash,
      released_at: release.releasedAt,
      expires_at: release.expiresAt,
    })
    .execute();
}

/** Earlier versions stop opening once a newer one is released. */
export async function supersedeReleases(db: Db, roundId: string, now: string): Promise<void> {
  await db.updateTable('report_releases').set({ superseded_at: now }).where('round_id', '=', roundId).where('superseded_at', 'is', null).execute();
}

export async function revokeRelease(db: Db, roundId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('report_releases')
    .set({ revoked_at: now })
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A release whose link still opens: not revoked, not superseded, not expired. */
export async function findOpenReleaseByToken(db: Db, tokenHash: string, now: string): Promise<Release | undefined> {
  const row = await db
    .selectFrom('report_releases')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && toRelease(row);
}
