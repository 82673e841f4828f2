import { describe, expect, it } from 'vitest';
import { newSecretToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import { secondInstance } from '../helpers/second-instance';
import { createTestContext, type TestContext } from '../helpers/test-app';

const guess = (instance: TestContext) => instance.browser().get(`/s/${newSecretToken().token}`);

describe.each(DATABASE_KINDS)('the limit on guessing links, on two instances sharing one database (%s)', (kind) => {
  it('counts misses on both instances into one budget per address; each instance refuses the address once it has seen the count pass the limit', async () => {
    const first = await createTestContext(kind);
    const second = await secondInstance(first);
    try {
      for (let miss = 0; miss < 15; miss += 1) {
        expect((await guess(first)).status).toBe(404);
        expect((await guess(second)).status).toBe(404);
      }
      // The 30th miss was counted on the second instance: it refuses the address from now on.
      const refused = await guess(second);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The first learns the count from its next miss, the 31st, and refuses after it.
      expect((await guess(first)).status).toBe(404);
      expect((await guess(first)).status).toBe(429);
      const windows = await first.db.selectFrom('rate_limit_windows').select(['limiter', 'key', 'hits']).execute();
      expect(windows).toEqual([{ limiter: 'link-misses', key: 'local', hits: 31 }]);

      first.clock.advanceMinutes(11);
      expect((await guess(second)).status).toBe(404);
      expect((await guess(first)).status).toBe(404);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
