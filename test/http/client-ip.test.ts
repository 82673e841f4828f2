import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { resolveClientIp } from '../../server/http/client-ip';
import { newSecretToken } from '../../server/secrets';
import { createTestContext, type TestContext } from '../helpers/test-app';

/** The address the app would use for a request with these headers, under this configuration. */
async function clientIp(env: Record<string, string>, headers: HeadersInit): Promise<string> {
  const config = loadConfig(env);
  const app = new Hono().get('/', (c) => c.text(resolveClientIp(c, config)));
  return (await app.request('/', { headers })).text();
}

describe('the caller address behind proxies', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy sets it', async () => {
    expect(await clientIp({}, { 'x-forwarded-for': '203.0.113.7' })).toBe('local');
  });

  it('takes the right-most entry: the one the proxy appended, not what the caller sent', async () => {
    const trusting = { TRUST_PROXY: 'true' };
    expect(await clientIp(trusting, { 'x-forwarded-for': '203.0.113.7' })).toBe('203.0.113.7');
    expect(await clientIp(trusting, { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' })).toBe('203.0.113.7');
    expect(await clientIp(trusting, { 'x-forwarded-for': ' 10.9.9.9 ,, 203.0.113.7 , ' })).toBe('203.0.113.7');
    const twoHeaders = new Headers([['x-forwarded-for', '10.9.9.9'], ['x-forwarded-for', '203.0.113.7']]);
    expect(await clientIp(trusting, twoHeaders)).toBe('203.0.113.7');
    expect(await clientIp(trusting, {})).toBe('local');
  });

  it('counts TRUSTED_PROXY_HOPS entries from the right, and stops at the left end', async () => {
    const twoProxies = { TRUST_PROXY: 'true', TRUSTED_PROXY_HOPS: '2' };
    // Caller (forging 10.9.9.9) → CDN (appends the caller, 198.51.100.9) → nginx (appends the CDN) → server.
    expect(await clientIp(twoProxies, { 'x-forwarded-for': '10.9.9.9, 198.51.100.9, 192.0.2.1' })).toBe('198.51.100.9');
    expect(await clientIp(twoProxies, { 'x-forwarded-for': '198.51.100.9' })).toBe('198.51.100.9');
  });

  it('reads TRUSTED_PROXY_HOPS as a whole number from 1, 1 by default', () => {
    expect(loadConfig({}).trustedProxyHops).toBe(1);
    expect(loadConfig({ TRUSTED_PROXY_HOPS: '3' }).trustedProxyHops).toBe(3);
    expect(() => loadConfig({ TRUSTED_PROXY_HOPS: '0' })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

describe('a guesser forging the left-most X-Forwarded-For entry', () => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext('sqlite', { env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => context.close());

  it('is limited by the address the proxy appended, whatever it sends', async () => {
    const from = (forged: number, real: string) => ({ 'x-forwarded-for': `10.0.${forged}.1, ${real}` });
    for (let miss = 0; miss < 30; miss += 1) {
      expect((await context.browser().get(`/s/${newSecretToken().token}`, from(miss, '203.0.113.7'))).status).toBe(404);
    }
    expect((await context.browser().get(`/s/${newSecretToken().token}`, from(99, '203.0.113.7'))).status).toBe(429);
    expect((await context.browser().get(`/s/${newSecretToken().token}`, from(99, '198.51.100.2'))).status).toBe(404);
  });
});
