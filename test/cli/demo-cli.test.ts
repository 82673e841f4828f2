import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect';
import { publishedRoundReport } from '../../server/reports/versions.service';
import { changeReportForRound } from '../../server/reports/change.service';
import { findRound } from '../../server/rounds/rounds.repository';
import { listNorms } from '../../server/norms/norms.service';
import { systemClock } from '../../server/clock';
import { listTeams, teamReport } from '../../server/teams/teams.service';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-demo-'));

function runDemo() {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts'], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    timeout: 120_000,
  });
}

describe('npm run demo', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a demo coach and a full report once, and changes nothing when run again', async () => {
    const first = runDemo();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Demo data created');
    expect(first.stdout).toContain('email:    demo.coach@example.com');
    expect(first.stdout).toContain('password: demo-coach-password');

    const second = runDemo();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('The demo data exists already; nothing was changed.');

    const database = openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'threesixty.sqlite') });
    try {
      const db = database.db;
      expect(await db.selectFrom('coaches').select('id').execute()).toHaveLength(1);
      // Alex Morgan's journey, the four leaders of the demo team and five past clients (archived).
      expect(await db.selectFrom('engagements').select('id').execute()).toHaveLength(10);
      expect(await db.selectFrom('engagements').select('id').where('archived_at', 'is not', null).execute()).toHaveLength(5);
      const alex = await db.selectFrom('engagements').select('id').where('client_name', '=', 'Alex Morgan').executeTakeFirstOrThrow();
      const rounds = await db.selectFrom('rounds').selectAll().where('engagement_id', '=', alex.id).orderBy('created_at').execute();
      expect(rounds.map((round) => [round.purpose, round.status])).toEqual([
        ['baseline', 'closed'],
        ['pulse', 'closed'],
        ['pulse', 'closed'],
        ['evaluation', 'closed'],
      ]);
      expect(rounds.every((round) => round.deadline < new Date().toISOString())).toBe(true);
      expect(await db.selectFrom('responses').select('id').where('round_id', '=', rounds[0]!.id).execute()).toHaveLength(13);
      expect(await db.selectFrom('focus_areas').select('id').execute()).toHaveLength(2);
      // Nothing was left to be emailed to the fictional raters.
      expect(await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).toEqual([]);

      const baseline = rounds[0]!;
      // Every closed round published version 1 with all its responses.
      expect(rounds.map((round) => round.published_version)).toEqual([1, 1, 1, 1]);
      const publication = await publishedRoundReport(db, (await findRound(db, baseline.id))!);
      expect(publication.proposal.held.total).toBe(0);
      const model = publication.model!;
      expect(model.readiness.ready).toBe(true);
      expect(model.blindSpots.some((finding) => finding.type === 'competency')).toBe(true);
      expect(model.hiddenStrengths.some((finding) => finding.type === 'competency')).toBe(true);
      expect(model.groups.find((group) => group.key === 'others')!.status).toBe('below-minimum');
      expect(model.comments.flatMap((section) => section.blocks).length).toBeGreaterThan(3);
      expect(model.competencies.flatMap((competency) => competency.items).some((item) => item.agreement?.disagree)).toBe(true);
      const coach = await db.selectFrom('coaches').select('id').executeTakeFirstOrThrow();
      const change = await changeReportForRound(db, coach.id, rounds[3]!.id);
      expect(change.readiness.ready).toBe(true);
      expect(change.report!.summary.focus.improvements.length).toBeGreaterThan(0);

      // The practice: every baseline closed and published in the past, a team of four with one report released, a norm of ten.
      const baselines = await db.selectFrom('rounds').selectAll().where('purpose', '=', 'baseline').execute();
      expect(baselines.map((round) => [round.status, round.published_version])).toEqual(Array(10).fill(['closed', 1]));
      expect(baselines.every((round) => round.deadline < new Date().toISOString())).toBe(true);
      const [team] = await listTeams(db, coach.id, { after: null, limit: 10 }).then((page) => page.items);
      expect(team).toMatchObject({ name: 'Northwind Traders leadership team', members: 4 });
      const teamResult = await teamReport(db, systemClock, coach.id, team!.id);
      expect(teamResult.leaders.filter((leader) => leader.released).map((leader) => leader.clientName)).toEqual(['Priya Nair']);
      expect(teamResult.report!.competencies.every((competency) => !competency.others.withheld)).toBe(true);
      expect(teamResult.report!.blindSpots.some((entry) => entry.type === 'competency')).toBe(true);
      const norms = await listNorms(db, coach.id, { archived: false }, { after: null, limit: 10 });
      expect(norms.items.map((norm) => norm.leaders)).toEqual([10]);
      expect(norms.items[0]!.name).toMatch(/^Practice norm, [A-Z][a-z]{2} \d{4}, 10 leaders$/);
    } finally {
      await database.close();
    }
  }, 180_000);
});
