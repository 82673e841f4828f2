import { z } from 'zod';
import type { RoundGroup } from './rounds.repository';

export const MAX_RATER_LINES = 500;

export interface RaterEntry {
  email: string;
  name: string;
  groupKey: string;
}

export interface RaterLineError {
  line: number;
  message: string;
}

const emailSchema = z.email();

/** Splits one line of CSV (quotes, doubled quotes) or of a spreadsheet paste (tabs), or `;`-separated. */
export function splitFields(line: string): string[] {
  const delimiter = line.includes('\t') ? '\t' : !line.includes(',') && line.includes(';') ? ';' : ',';
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        current += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else current += character;
    } else if (character === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (character === delimiter) {
      fields.push(current.trim());
      current = '';
    } else current += character;
  }
  fields.push(current.trim());
  return fields;
}

/** Finds a rater group by key or label, ignoring case, spaces and a plural "s" ("direct report" finds "Direct reports"). */
export function findGroup(groups: RoundGroup[], text: string): RoundGroup | undefined {
  const simplify = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/s$/, '');
  const wanted = simplify(text);
  return wanted ? groups.find((group) => simplify(group.key) === wanted || simplify(group.label) === wanted) : undefined;
}

function describeGroups(groups: RoundGroup[]): string {
  return groups.filter((group) => !group.self).map((group) => group.label).join(', ');
}

/** One rater as given: from a pasted line, a CSV row or a JSON object. `line` numbers them for messages. */
export interface RaterRow {
  line: number;
  email: string;
  name: string;
  group: string;
}

/** Reads "email,name,group" lines (a header line is allowed); malformed lines are errors. */
export function readRaterLines(text: string): { rows: RaterRow[]; errors: RaterLineError[] } {
  const lines = text.split(/\r?\n/);
  if (lines.filter((line) => line.trim()).length > MAX_RATER_LINES) {
    return { rows: [], errors: [{ line: 0, message: `At most ${MAX_RATER_LINES} raters at a time.` }] };
  }
  const rows: RaterRow[] = [];
  const errors: RaterLineError[] = [];
  lines.forEach((raw, index) => {
    if (!raw.trim()) return;
    const [email = '', name = '', group = '', ...extra] = splitFields(raw);
    if (index === 0 && /^e-?mail$/i.test(email)) return; // header
    if (extra.some((field) => field !== '')) errors.push({ line: index + 1, message: 'Too many columns: use email,name,group.' });
    else rows.push({ line: index + 1, email, name, group });
  });
  return { rows, errors };
}

/**
 * Checks raters against the round: valid addresses, known groups (never self), no duplicates in
 * the list or with the round's raters, not the client. Every problem is reported with its line;
 * nothing is valid unless all of it is, so adding is all or nothing.
 */
export function checkRaters(
  rows: RaterRow[],
  groups: RoundGroup[],
  taken: { emails: Set<string>; clientEmail: string },
): { raters: RaterEntry[]; errors: RaterLineError[] } {
  const errors: RaterLineError[] = [];
  const raters: RaterEntry[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const email = row.email.trim().toLowerCase();
    const name = row.name.trim();
    const problem = (message: string) => errors.push({ line: row.line, message });
    if (!emailSchema.safeParse(email).success) {
      problem(`"${row.email.slice(0, 80)}" is not a valid email address.`);
      continue;
    }
    if (name.length > 120) {
      problem('The name can be at most 120 characters.');
      continue;
    }
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      problem('The name contains characters that are not allowed.');
      continue;
    }
    const group = findGroup(groups, row.group);
    if (!group) {
      problem(row.group ? `Unknown group "${row.group.slice(0, 40)}". Use one of: ${describeGroups(groups)}.` : `Say which group: ${describeGroups(groups)}.`);
      continue;
    }
    if (group.self) {
      problem('The client is added to the self group automatically; choose another group.');
      continue;
    }
    if (email === taken.clientEmail) {
      problem(`${email} is the client's own address.`);
      continue;
    }
    const earlier = seen.get(email);
    if (earlier !== undefined) {
      problem(`${email} is already on line ${earlier}.`);
      continue;
    }
    if (taken.emails.has(email)) {
      problem(`${email} is already a rater in this round.`);
      continue;
    }
    seen.set(email, row.line);
    raters.push({ email, name, groupKey: group.key });
  }
  return errors.length ? { raters: [], errors } : { raters, errors };
}

/** Pasted lines or a CSV file, read and checked in one go. */
export function parseRaterList(
  text: string,
  groups: RoundGroup[],
  taken: { emails: Set<string>; clientEmail: string },
): { raters: RaterEntry[]; errors: RaterLineError[] } {
  const read = readRaterLines(text);
  const checked = checkRaters(read.rows, groups, taken);
  const errors = [...read.errors, ...checked.errors].sort((a, b) => a.line - b.line);
  return errors.length ? { raters: [], errors } : checked;
}
