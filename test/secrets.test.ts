import { describe, expect, it } from 'vitest';
import { isWellFormedToken, newId, newSecretToken } from '../server/secrets';

describe('random tokens and ids', () => {
  it('hands out every random byte once, across many refills of the entropy buffer', () => {
    // 3,000 × (32 + 16) bytes is 144 KiB: the 8 KiB buffer is refilled about 17 times.
    const outputs: Buffer[] = [];
    for (let index = 0; index < 3000; index += 1) {
      const { token } = newSecretToken();
      expect(isWellFormedToken(token)).toBe(true);
      const id = newId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      outputs.push(Buffer.from(token, 'base64url'), Buffer.from(id, 'base64url'));
    }
    expect(outputs.filter((bytes, index) => bytes.length !== (index % 2 === 0 ? 32 : 16))).toEqual([]);
    // Reused bytes would show up as a repeated 16-byte block somewhere.
    const blocks = outputs.flatMap((bytes) => [bytes.subarray(0, 16), bytes.subarray(16)].filter((block) => block.length === 16));
    expect(new Set(blocks.map((block) => block.toString('hex'))).size).toBe(blocks.length);
    // Not a constant or a short cycle: all 256 byte values occur (missing one by chance: < 1e-70).
    expect(new Set(Buffer.concat(outputs)).size).toBe(256);
  });
});
