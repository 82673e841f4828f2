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
