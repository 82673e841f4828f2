/**
 * Reads an SQLite file the way someone with a copy of it would: page by page, without SQLite.
 * Enough of the file format (https://www.sqlite.org/fileformat2.html) to walk one b-tree and list
 * its leaf cells with where they sit in their page, for the tests that check that the place of a
 * row in the file says nothing about when it was written.
 */

export interface LeafCell {
  page: number;
  /** Byte offset of the cell inside its page: SQLite fills a page's cell area from its end. */
  offset: number;
  /** The first values of the cell's record (for a WITHOUT ROWID table, its primary key first). */
  values: Array<string | number | null>;
}

/** Every leaf cell of the b-tree rooted at `rootPage`, in key order. */
export function leafCells(file: Buffer, rootPage: number, valuesWanted = 2): LeafCell[] {
  const pageSize = file.readUInt16BE(16) === 1 ? 65536 : file.readUInt16BE(16);
  const cells: LeafCell[] = [];
  const visit = (page: number) => {
    const start = (page - 1) * pageSize;
    const header = start + (page === 1 ? 100 : 0);
    const type = file[header]!;
    const count = file.readUInt16BE(header + 3);
    const interior = type === 0x02 || type === 0x05;
    const pointers = header + (interior ? 12 : 8);
    for (let index = 0; index < count; index++) {
      const offset = file.readUInt16BE(pointers + 2 * index);
      const at = start + offset;
      if (interior) {
        visit(file.readUInt32BE(at));
        continue;
      }
      let position = at;
      const [, afterSize] = varint(file, position);
      position = afterSize;
      if (type === 0x0d) position = varint(file, position)[1]; // a table leaf also holds the rowid
      cells.push({ page, offset, values: recordValues(file, position, valuesWanted) });
    }
    if (interior) visit(file.readUInt32BE(header + 8));
  };
  visit(rootPage);
  return cells;
}

function varint(file: Buffer, at: number): [number, number] {
  let value = 0;
  for (let index = 0; index < 9; index++) {
    const byte = file[at + index]!;
    if (index === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + index + 1];
  }
  return [value, at + 9];
}

function recordValues(file: Buffer, at: number, wanted: number): Array<string | number | null> {
  const [headerSize, afterHeaderSize] = varint(file, at);
  const types: number[] = [];
  let position = afterHeaderSize;
  while (position < at + headerSize && types.length < wanted) {
    const [type, next] = varint(file, position);
    types.push(type);
    position = next;
  }
  let body = at + headerSize;
  return types.map((type) => {
    if (type === 0) return null;
    if (type >= 13 && type % 2 === 1) {
      const length = (type - 13) / 2;
      const text = file.toString('utf8', body, body + length);
      body += length;
      return text;
    }
    const sizes: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 8: 0, 9: 0 };
    const size = sizes[type] ?? 0;
    const value = type === 8 ? 0 : type === 9 ? 1 : size ? file.readIntBE(body, Math.min(size, 6)) : 0;
    body += size;
    return value;
  });
}

/**
 * Kendall's rank correlation between where cells sit and when their rows were written, counted
 * over pairs of cells in the same page (the order of pages says little): 1 when every page holds
 * its cells in the order they were written (later cells at lower offsets), -1 for the reverse.
 */
export function placementTau(cells: readonly LeafCell[], writtenAt: (cell: LeafCell) => number): number {
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const [a, b] = [cells[i]!, cells[j]!];
      if (a.page !== b.page) continue;
      const placedLater = Math.sign(a.offset - b.offset) * -1; // lower offset: allocated later
      const writtenLater = Math.sign(writtenAt(a) - writtenAt(b));
      if (placedLater * writtenLater > 0) concordant += 1;
      else if (placedLater * writtenLater < 0) discordant += 1;
    }
  }
  return concordant + discordant === 0 ? 0 : (concordant - discordant) / (concordant + discordant);
}
