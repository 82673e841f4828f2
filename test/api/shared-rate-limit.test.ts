import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import type { DatabaseKind } from '../../server/db/connect';
import { DATABASE_KINDS } from '../helpers/databases';
import { secondInstance } from '../helpers/second-instance';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

async function listEngagements(instance: TestContext, token: string): Promise<Response> {
  return instance.app.request('/api/v1/engagements', { headers: { authorization: `Bearer ${token}` } });
}

/** Two app instances on one database with API_RATE_LIMIT = limit, and a token of one coach. */
async function onTwoInstances(kind: DatabaseKind, limit: number, test: (first: TestContext, second: TestContext, token: string) => Promise<void>): Promise<void> {
  const env = { API_RATE_LIMIT: String(limit) };
  const first = await createTestContext(kind, { env });
  const second = await secondInstance(first, env);
  try {
    const coach = await createCoach(first);
    await test(first, second, (await createApiToken(first.db, first.clock, coach.id, 'CRM')).token);
  } finally {
    await second.close();
    await first.close();
  }
}

describe.each(DATABASE_KINDS)('the API rate limit on two instances sharing one database (%s)', (kind) => {
  it('allows API_RATE_LIMIT requests per token and minute between both instances, then answers 429 with Retry-After on both', () =>
    onTwoInstances(kind, 6, async (first, second, token) => {
      const coach = await first.db.selectFrom('api_tokens').select('coach_id').executeTakeFirstOrThrow();
      const { token: otherToken } = await createApiToken(first.db, first.clock, coach.coach_id, 'Reporting');
      first.clock.set('2026-03-02T09:00:45.000Z');
      for (let request = 0; request < 6; request += 1) {
        expect((await listEngagements(request % 2 === 0 ? first : second, token)).status, `request ${request + 1}`).toBe(200);
      }
      for (const instance of [second, first]) {
        const refused = await listEngagements(instance, token);
        expect(refused.status).toBe(429);
        // The window is the clock's minute: 15 seconds of it are left.
        expect(refused.headers.get('retry-after')).toBe('15');
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      }
      expect((await listEngagements(second, otherToken)).status).toBe(200);
      first.clock.set('2026-03-02T09:01:00.000Z');
      expect((await listEngagements(second, token)).status).toBe(200);
      expect((await listEngagements(first, token)).status).toBe(200);
    }));

  it('counts every request made at the same moment on both instances', () =>
    onTwoInstances(kind, 10, async (first, second, token) => {
      const answers = await Promise.all(Array.from({ length: 24 }, (_, index) => listEngagements(index % 2 === 0 ? first : second, token)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(14);
    }));
});
