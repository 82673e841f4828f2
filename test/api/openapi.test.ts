import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { ENDPOINTS } from './endpoints';

describe('the OpenAPI document', () => {
  let context: TestContext;
  let document: { openapi: string; paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    context = await createTestContext('sqlite');
    const response = await context.app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });
  afterAll(() => context.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  /** Every /api/v1 route the router knows, as "METHOD /path/{param}". */
  function routerRoutes(): string[] {
    const seen = new Set<string>();
    for (const route of context.app.routes) {
      if (!route.path.startsWith('/api/v1/') || route.method === 'ALL') continue;
      seen.add(`${route.method} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    }
    return [...seen].sort();
  }

  it('describes every /api/v1 route of the router, and nothing else', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} /api${path}`))
      .sort();
    expect(routerRoutes().length).toBeGreaterThanOrEqual(17);
    expect(documented).toEqual(routerRoutes());
  });

  it('is exercised endpoint by endpoint by the API tests', () => {
    const tested = ENDPOINTS('{id}', '{id}').map(([method, path]) => `${method} /api/v1${path.replace('/leadership-360', '/{id}')}`).sort();
    expect(tested).toEqual(routerRoutes());
  });

  it('names the security scheme and requires it everywhere', () => {
    expect(document).toMatchObject({ components: { securitySchemes: { Bearer: { type: 'http', scheme: 'bearer' } } } });
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations) as Array<{ security?: unknown; responses: Record<string, unknown> }>) {
        expect(operation.security).toEqual([{ Bearer: [] }]);
        expect(operation.responses).toHaveProperty('401');
        expect(operation.responses).toHaveProperty('429');
      }
    }
  });
});

describe('the API documentation page', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startLiveServer('sqlite');
  });
  afterAll(() => server.close());

  it('renders the document with Swagger UI served from this server, within the content security policy', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${server.url}/api/docs`);
      await page.waitForSelector('text=Threesixty API');
      await page.waitForSelector('text=The change report of an evaluation round against its baseline');
      expect(problems).toEqual([]);
      expect(requests.every((url) => url.startsWith(server.url) || url.startsWith('data:'))).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
