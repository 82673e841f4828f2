/**
 * A small seeded pseudo-random generator. The engine must give the same report for the same input
 * (a report re-rendered tomorrow must not reshuffle its comments), so it never uses Math.random.
 * Not cryptographic: it only has to scatter comments, not resist an attacker.
 */

/**
 * Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units).
 *
 * @example
 * hashString('round-1:q1') === hashString('round-1:q1') // true
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Returns a generator of numbers in [0, 1) determined by `seed` (mulberry32).
 *
 * @example
 * const next = seededRandom('round-1');
 * next(); // the same first number every time for 'round-1'
 */
export function seededRandom(seed: string): () => number {
  let state = hashString(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns a copy of `items` in a pseudo-random order fixed by `seed` (Fisher-Yates).
 *
 * @example
 * seededShuffle(['a', 'b', 'c'], 'round-1:q1'); // e.g. ['c', 'a', 'b'], always the same
 */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  const next = seededRandom(seed);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
