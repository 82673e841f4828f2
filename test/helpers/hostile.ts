import { expect } from 'vitest';
import type { TestBrowser } from './http-client';
import type { TestContext } from './test-app';

/** Values that must be refused wherever they appear: too long, control characters. */
export const MALFORMED_VALUES = ['x'.repeat(100_000), 'nul\u0000byte', 'bell\u0007'];

/** Values that may be legitimate text (names, notes) but must never break a page or the database. */
export const HOSTILE_TEXT = [
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE coaches; --",
  "1' OR '1'='1",
  '{{constructor.constructor("alert(1)")()}}',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ عربي 中文 \u202Eevil',
  '   ',
  '../../etc/passwd',
];

const RAW_MARKUP = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>'];

/** All rows of the tables a form may change, as one comparable string. */
export async function snapshotTables(context: TestContext, tables: string[]): Promise<string> {
  const db = context.db as unknown as { selectFrom(table: string): { selectAll(): { execute(): Promise<unknown[]> } } };
  const rows = await Promise.all(tables.map((table) => db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(rows.map((list) => list.map((row) => JSON.stringify(row)).sort()));
}

export interface FormProbe {
  name: string;
  path: () => Promise<string> | string;
  valid: Record<string, string>;
  /** Fields not to vary (hidden ids, buttons). */
  skip?: string[];
  /** Pages where accepted values would be shown, to check they come back escaped. */
  pagesToCheck?: () => Promise<string[]> | string[];
}

/**
 * Posts the form once per field and hostile value, and once per field sent with the wrong type
 * (twice, as a list). Malformed values must get a 4xx and leave the tables unchanged; any value
 * must never cause a 5xx, and markup that was accepted must come back escaped.
 */
export async function probeForm(context: TestContext, browser: TestBrowser, probe: FormProbe, tables: string[]): Promise<number> {
  let requests = 0;
  const fields = Object.keys(probe.valid).filter((field) => !probe.skip?.includes(field));
  for (const field of fields) {
    for (const value of MALFORMED_VALUES) {
      const before = await snapshotTables(context, tables);
      const response = await browser.post(await probe.path(), { ...probe.valid, [field]: value });
      requests += 1;
      expect(response.status, `${probe.name}: ${field}=${JSON.stringify(value.slice(0, 20))}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${probe.name}: ${field}`).toBeLessThan(500);
      expect(await snapshotTables(context, tables), `${probe.name}: ${field} changed the database`).toBe(before);
    }
    const wrongType = await browser.post(await probe.path(), { ...probe.valid, [field]: ['one', 'two'] });
    requests += 1;
    expect(wrongType.status, `${probe.name}: ${field} as a list`).toBeLessThan(500);
    for (const value of HOSTILE_TEXT) {
      const response = await browser.post(await probe.path(), { ...probe.valid, [field]: value });
      requests += 1;
      expect(response.status, `${probe.name}: ${field}=${JSON.stringify(value)}`).toBeLessThan(500);
      for (const markup of RAW_MARKUP) expect(response.text, `${probe.name}: ${field} echoed raw markup`).not.toContain(markup);
    }
  }
  for (const page of (await probe.pagesToCheck?.()) ?? []) {
    const response = await browser.get(page);
    expect(response.status, page).toBeLessThan(500);
    for (const markup of RAW_MARKUP) expect(response.text, `${page} shows raw markup`).not.toContain(markup);
  }
  return requests;
}
