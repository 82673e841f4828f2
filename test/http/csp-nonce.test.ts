import { describe, expect, it } from 'vitest';
import { nextNonce } from '../../server/http/csp-nonce';

describe('the CSP nonce', () => {
  it('is 16 random bytes, never the same twice, across refills of its pool', () => {
    const nonces = Array.from({ length: 1000 }, () => nextNonce());
    expect(new Set(nonces).size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
