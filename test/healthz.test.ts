import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './helpers/databases';
import { createTestContext, type TestContext } from './helpers/test-app';

describe.each(DATABASE_KINDS)('GET /healthz (%s)', (kind) => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  it('checks the database and names it', async () => {
    const response = await context.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: kind });
  });

  it('serves our own static files with long caching only for the versioned URL', async () => {
    const css = await context.app.request('/static/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const page = await (await context.app.request('/login')).text();
    const versioned = /href="(\/static\/app\.css\?v=[0-9a-f]{12})"/.exec(page)![1]!;
    expect((await context.app.request(versioned)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const chart = await context.app.request('/static/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(await chart.text()).toContain('Chart');
    expect((await context.app.request('/static/nope.css')).status).toBe(404);
  });

  it('says 503 when the database is gone', async () => {
    const broken = await createTestContext(kind);
    await broken.database.close();
    const response = await broken.app.request('/healthz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'error', db: kind });
    expect(broken.logger.errors.join('\n')).toContain('Health check failed');
  });
});
