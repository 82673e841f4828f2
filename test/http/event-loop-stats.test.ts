import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-app';

describe('the event loop statistics for the bench', () => {
  let withStats: TestContext;
  let without: TestContext;

  beforeAll(async () => {
    withStats = await createTestContext('sqlite', { env: { EVENT_LOOP_STATS: 'true' } });
    without = await createTestContext('sqlite');
  });
  afterAll(async () => {
    await withStats.close();
    await without.close();
  });

  it('are served at /healthz/event-loop only when EVENT_LOOP_STATS=true, and start again after ?reset', async () => {
    expect((await without.app.request('/healthz/event-loop')).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = await withStats.app.request('/healthz/event-loop?reset');
    expect(first.status).toBe(200);
    const stats = (await first.json()) as Record<string, number>;
    expect(Object.keys(stats).sort()).toEqual(['maxMs', 'meanMs', 'p99Ms', 'samples']);
    expect(stats.samples).toBeGreaterThan(0);
    const afterReset = (await (await withStats.app.request('/healthz/event-loop')).json()) as Record<string, number>;
    expect(afterReset.samples).toBeLessThan(stats.samples!);
  });
});
