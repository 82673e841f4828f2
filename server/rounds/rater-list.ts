import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Language } from '../i18n/languages';
import { asText, Phrase, type PhraseValues } from '../i18n/phrase';
import { languageNamed } from './round-languages';
import type { RaterGroup } from './rounds.types';

export const MAX_RATER_LINES = 500;

export interface RaterEntry {
  email: string;
  name: string;
  groupKey: string;
  /** Absent: the round's language. */
  language?: Language;
}

/** Who is in the round already (lowercase emails), and the client's address: neither can be added again. */
export interface KnownRaters {
  emails: Set<string>;
  clientEmail: string;
}

export interface RaterLineError {
  line: number;
  message: string;
}

const emailSchema = z.email();

/** The delimiter people paste: tabs from a spreadsheet selection, `;` from a European CSV export, else commas. */
function delimiterOf(line: string): string {
  return line.includes('\t') ? '\t' : !line.includes(',') && line.includes(';') ? ';' : ',';
}

const isBlank = (line: string) => line.trim() === '';

/** CSV as people write it: spaces around fields are dropped, a quote inside an unquoted field is just a character. */
const CSV_OPTIONS = { trim: true, relax_quotes: true, relax_column_count: true } as const;

type ListRecord = { line: number; fields: string[] } | { line: number; problem: string };

/**
 * The records of `lines[start..end)` read with one delimiter, as far as they read without error;
 * `next` is the index of the first line not read.
 */
function readLines(lines: string[], start: number, end: number, delimiter: string): { records: ListRecord[]; next: number; failed: boolean } {
  const records: ListRecord[] = [];
  let next = start;
  try {
    parse(lines.slice(start, end).join('\n'), {
      ...CSV_OPTIONS,
      delimiter,
      on_record: (fields: string[], context) => {
        if (!isBlank(lines[next]!)) records.push({ line: next + 1, fields });
        next = start + context.lines;
        return null;
      },
    });
    return { records, next, failed: false };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { records, next, failed: true };
  }
}

/**
 * The one record that starts at `lines[start]`, however many lines its quotes span. The window of
 * lines handed to csv-parse doubles until the record is complete, so reading stays linear.
 */
function readOneRecord(lines: string[], start: number): { record: ListRecord; next: number } {
  const delimiter = delimiterOf(lines[start]!);
  for (let size = 1; ; size *= 2) {
    const end = Math.min(lines.length, start + size);
    let next = end;
    try {
      const [fields = []] = parse(lines.slice(start, end).join('\n'), {
        ...CSV_OPTIONS,
        delimiter,
        to: 1,
        on_record: (record: string[], context) => {
          next = start + context.lines;
          return record;
        },
      });
      return { record: { line: start + 1, fields }, next };
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const unclosedQuote = error.code === 'CSV_QUOTE_NOT_CLOSED';
      if (unclosedQuote && end < lines.length) continue;
      const problem = unclosedQuote
        ? asText(new Phrase('error.raterList.unclosedQuote'))
        : asText(new Phrase('error.raterList.quotedField'));
      // Everything after a quote that is never closed is inside it: nothing is left to read.
      return { record: { line: start + 1, problem }, next: unclosedQuote ? lines.length : start + 1 };
    }
  }
}

/**
 * A pasted list or CSV file, record by record: CSV rules (quotes, doubled quotes, line breaks inside
 * quotes), with the delimiter each line uses, so a list mixing commas and tabs reads as it always
 * did line by line. Consecutive lines with the same delimiter are read by one csv-parse call; a
 * record that does not read there (a quote that continues on a line with another delimiter, a bad
 * closing quote) is read on its own.
 */
function readRecords(lines: string[]): ListRecord[] {
  const records: ListRecord[] = [];
  let index = 0;
  while (index < lines.length) {
    if (isBlank(lines[index]!)) {
      index += 1;
      continue;
    }
    const delimiter = delimiterOf(lines[index]!);
    let end = index + 1;
    while (end < lines.length && (isBlank(lines[end]!) || delimiterOf(lines[end]!) === delimiter)) end += 1;
    const run = readLines(lines, index, end, delimiter);
    records.push(...run.records);
    index = run.next;
    if (run.failed) {
      const single = readOneRecord(lines, index);
      records.push(single.record);
      index = single.next;
    }
  }
  return records;
}

/** The fields of one CSV line, read as a line of a rater list is. */
export function splitFields(line: string): string[] {
  const { record } = readOneRecord([line], 0);
  if ('problem' in record) throw new Error(record.problem);
  return record.fields;
}

/** Finds a rater group by key or label, ignoring case, spaces and a plural "s" ("direct report" finds "Direct reports"). */
export function findGroup(groups: RaterGroup[], text: string): RaterGroup | undefined {
  const simplify = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/s$/, '');
  const wanted = simplify(text);
  return wanted ? groups.find((group) => simplify(group.key) === wanted || simplify(group.label) === wanted) : undefined;
}

function describeGroups(groups: RaterGroup[]): string {
  return groups.filter((group) => !group.self).map((group) => group.label).join(', ');
}

/** One rater as given: from a pasted line, a CSV row or a JSON object. `line` numbers them for messages. */
export interface RaterRow {
  line: number;
  email: string;
  name: string;
  group: string;
  /** A language code or name in any of the five languages; empty for the round's language. */
  language?: string;
}

/**
 * Reads "email,name,group[,language]" lines (a header line is allowed); malformed lines are errors. A line
 * break inside a quoted field (a name typed on two lines of a spreadsheet cell) reads as a space.
 */
export function readRaterLines(text: string): { rows: RaterRow[]; errors: RaterLineError[] } {
  const lines = text.split(/\r?\n/);
  if (lines.filter((line) => line.trim()).length > MAX_RATER_LINES) {
    return { rows: [], errors: [{ line: 0, message: asText(new Phrase('error.raterList.tooMany', { max: MAX_RATER_LINES })) }] };
  }
  const rows: RaterRow[] = [];
  const errors: RaterLineError[] = [];
  for (const record of readRecords(lines)) {
    if ('problem' in record) {
      errors.push({ line: record.line, message: record.problem });
      continue;
    }
    const [email = '', name = '', group = '', language = '', ...extra] = record.fields.map((field) => field.replace(/\s*\n\s*/g, ' ').trim());
    if (record.line === 1 && /^e-?mail$/i.test(email)) continue; // header
    if (extra.some((field) => field !== '')) errors.push({ line: record.line, message: asText(new Phrase('error.raterList.tooManyColumns')) });
    else rows.push({ line: record.line, email, name, group, language });
  }
  return { rows, errors };
}

/**
 * Checks raters against the round: valid addresses, known groups (never self), no duplicates in
 * the list or with the round's raters, not the client. Every problem is reported with its line;
 * nothing is valid unless all of it is, so adding is all or nothing.
 */
export function checkRaters(
  rows: RaterRow[],
  groups: RaterGroup[],
  taken: KnownRaters,
): { raters: RaterEntry[]; errors: RaterLineError[] } {
  const errors: RaterLineError[] = [];
  const raters: RaterEntry[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const email = row.email.trim().toLowerCase();
    const name = row.name.trim();
    const problem = (key: string, values?: PhraseValues) => errors.push({ line: row.line, message: asText(new Phrase(`error.raterList.${key}`, values)) });
    if (!emailSchema.safeParse(email).success) {
      problem('invalidEmail', { email: row.email.slice(0, 80) });
      continue;
    }
    if (name.length > 120) {
      problem('nameTooLong', { max: 120 });
      continue;
    }
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      problem('nameCharacters');
      continue;
    }
    const group = findGroup(groups, row.group);
    if (!group) {
      problem(row.group ? 'unknownGroup' : 'sayGroup', { group: row.group.slice(0, 40), groups: describeGroups(groups) });
      continue;
    }
    if (group.self) {
      problem('selfGroup');
      continue;
    }
    if (email === taken.clientEmail) {
      problem('clientAddress', { email });
      continue;
    }
    const earlier = seen.get(email);
    if (earlier !== undefined) {
      problem('duplicate', { email, line: earlier });
      continue;
    }
    if (taken.emails.has(email)) {
      problem('alreadyRater', { email });
      continue;
    }
    const languageText = row.language?.trim() ?? '';
    const language = languageText ? languageNamed(languageText) : undefined;
    if (languageText && !language) {
      problem('unknownLanguage', { language: languageText.slice(0, 40) });
      continue;
    }
    seen.set(email, row.line);
    raters.push({ email, name, groupKey: group.key, ...(language ? { language } : {}) });
  }
  return errors.length ? { raters: [], errors } : { raters, errors };
}

/** Pasted lines or a CSV file, read and checked in one go. */
export function parseRaterList(
  text: string,
  groups: RaterGroup[],
  taken: KnownRaters,
): { raters: RaterEntry[]; errors: RaterLineError[] } {
  const read = readRaterLines(text);
  const checked = checkRaters(read.rows, groups, taken);
  const errors = [...read.errors, ...checked.errors].sort((a, b) => a.line - b.line);
  return errors.length ? { raters: [], errors } : checked;
}
