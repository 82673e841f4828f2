/**
 * Exact rank of a small integer matrix: the version rule (versions.ts) decides what may be
 * published by linear algebra, and floating point must not decide an anonymity question.
 */

/**
 * The rank of an integer matrix, by fraction-free Gaussian elimination (Bareiss) on BigInt: every
 * intermediate value is a minor of the matrix, every division is exact, nothing is rounded.
 *
 * @example
 * exactRank([[1n, 1n, 0n], [0n, 1n, 1n], [1n, 2n, 1n]]); // 2 (the third row is the sum of the others)
 * exactRank([]);                                        // 0
 */
export function exactRank(matrix: ReadonlyArray<readonly bigint[]>): number {
  const rows = matrix.map((row) => [...row]);
  const columns = rows[0]?.length ?? 0;
  let rank = 0;
  let previousPivot = 1n;
  for (let column = 0; column < columns && rank < rows.length; column++) {
    const pivotRow = rows.findIndex((row, index) => index >= rank && row[column] !== 0n);
    if (pivotRow === -1) continue;
    [rows[rank], rows[pivotRow]] = [rows[pivotRow]!, rows[rank]!];
    const pivot = rows[rank]!;
    for (let index = rank + 1; index < rows.length; index++) {
      const row = rows[index]!;
      for (let j = column + 1; j < columns; j++) row[j] = (pivot[column]! * row[j]! - row[column]! * pivot[j]!) / previousPivot;
      row[column] = 0n;
    }
    previousPivot = pivot[column]!;
    rank += 1;
  }
  return rank;
}

/**
 * Whether some non-zero combination of the rows is supported on columns weighing together fewer
 * than `k`; returns those columns, or null. Columns are cells of interchangeable people (each
 * weighing how many it holds): every row gives all the people of a cell the same coefficient, so a
 * combination isolates fewer than k people exactly when it vanishes outside a set of cells holding
 * fewer than k, that is when removing those columns lowers the rank.
 *
 * @example
 * // two published sums: cells a (3 people) + b (1 person), and a alone
 * smallSupport([[1n, 1n], [1n, 0n]], [3, 1], 3); // [1]: their difference is cell b, one person
 * smallSupport([[1n, 1n]], [3, 1], 3);           // null: only the sum of all four
 */
export function smallSupport(rows: ReadonlyArray<readonly bigint[]>, weights: readonly number[], k: number): number[] | null {
  const fullRank = exactRank(rows);
  const small = weights.map((weight, index) => ({ weight, index })).filter(({ weight }) => weight < k);
  const without = (excluded: ReadonlySet<number>) => rows.map((row) => row.filter((_, index) => !excluded.has(index)));
  // Depth-first over sets of light columns weighing fewer than k in all.
  const search = (from: number, chosen: Set<number>, weight: number): number[] | null => {
    for (let next = from; next < small.length; next++) {
      const { weight: own, index } = small[next]!;
      if (weight + own >= k) continue;
      chosen.add(index);
      if (exactRank(without(chosen)) < fullRank) return [...chosen];
      const deeper = search(next + 1, chosen, weight + own);
      if (deeper) return deeper;
      chosen.delete(index);
    }
    return null;
  };
  return search(0, new Set(), 0);
}
