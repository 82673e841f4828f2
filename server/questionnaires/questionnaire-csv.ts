import { CsvError, parse } from 'csv-parse/sync';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../i18n/languages';
import { csvOf } from '../reports/report-csv';
import type { QuestionnaireDefinition } from './questionnaire-definition';
import { checkTranslation, excerpt, questionnaireTexts, sourceLanguageOf, withLanguageTexts, type QuestionnaireText } from './questionnaire-languages';

/**
 * The translations as a spreadsheet: one row per text (its key, see questionnaire-languages.ts),
 * one column per language, the questionnaire's own language first. A translator fills the empty
 * cells; importing the file back sets the translations of every language column it has.
 */
export const KEY_COLUMN = 'key';

/** The most problems an import lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/** The spreadsheet of a questionnaire's texts, as csvOf writes CSV for spreadsheets (byte-order mark, CRLF, formulas guarded). */
export function translationsCsv(definition: QuestionnaireDefinition): string {
  const own = sourceLanguageOf(definition);
  const languages = [own, ...LANGUAGES.filter((language) => language !== own)];
  return csvOf(
    [KEY_COLUMN, ...languages],
    questionnaireTexts(definition).map((entry) => [entry.key, ...languages.map((language) => (language === own ? entry.source : (entry.translations[language] ?? '')))]),
  );
}

/**
 * Why a row or column of an imported spreadsheet was refused. `row` counts as the spreadsheet does
 * (the header is row 1), `column` is the spreadsheet's letter and `header` the column's first cell.
 */
export interface TableProblem {
  code:
    | 'empty'
    | 'encoding'
    | 'unreadable'
    | 'noKeyColumn'
    | 'noLanguageColumn'
    | 'unknownColumn'
    | 'duplicateColumn'
    | 'extraCell'
    | 'noKey'
    | 'unknownKey'
    | 'duplicateKey'
    | 'sourceChanged'
    | 'tooLong'
    | 'notAllowed';
  row?: number;
  column?: string;
  header?: string;
  /** The line of the file where it stopped reading (unreadable). */
  line?: number;
  key?: string;
  firstRow?: number;
  max?: number;
  /** The beginning of the questionnaire's own text, when the file has another one (sourceChanged). */
  expected?: string;
}

export type TableImport = { ok: true; definition: QuestionnaireDefinition; changed: number; languages: Language[] } | { ok: false; problems: TableProblem[] };

/** "A", "B", … "Z", "AA": the column as a spreadsheet names it. */
export function columnLetter(index: number): string {
  let letter = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letter = String.fromCharCode(65 + ((rest - 1) % 26)) + letter;
  return letter;
}

/** The delimiter of the header row: a European spreadsheet saves CSV with semicolons, a copied selection has tabs. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return header.includes('\t') ? '\t' : !header.includes(',') && header.includes(';') ? ';' : ',';
}

/** csvOf's guard against formulas (a quote before =, +, -, @ and their full-width forms), taken off again. */
function withoutFormulaGuard(cell: string): string {
  return /^'[-=+@\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell;
}

function languageOfHeader(header: string): Language | undefined {
  const wanted = header.trim().toLowerCase();
  return LANGUAGES.find((language) => language === wanted || LANGUAGE_NAMES[language].toLowerCase() === wanted);
}

/**
 * Reads a spreadsheet of translations for `definition`. Nothing is applied unless the whole file
 * is right; each problem names its row and column. A row sets the texts of its key in every
 * language column (an empty cell removes that translation); a text without a row keeps its
 * translations. The questionnaire's own language column may be left out, or must hold its texts
 * as they are: a different text there means the translations were made for other wording.
 */
export function readTranslationTable(csv: string, definition: QuestionnaireDefinition): TableImport {
  if (!csv.replace(/^\uFEFF/, '').trim()) return { ok: false, problems: [{ code: 'empty' }] };
  // Text decoded as UTF-8 that was not (Excel's "CSV" is Windows-1252) holds replacement characters.
  if (csv.includes('\uFFFD')) return { ok: false, problems: [{ code: 'encoding' }] };
  let records: string[][];
  try {
    records = parse(csv, { bom: true, delimiter: delimiterOf(csv.replace(/^\uFEFF/, '')), relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, problems: [{ code: 'unreadable', line: (error as CsvError & { lines?: number }).lines ?? 1 }] };
  }
  const own = sourceLanguageOf(definition);
  const texts = new Map(questionnaireTexts(definition).map((entry) => [entry.key, entry]));
  const headers = records[0] ?? [];
  const problems: TableProblem[] = [];
  // A column without a heading is shown as "—" rather than as empty brackets.
  const at = (row: number, index: number) => ({ row, column: columnLetter(index), header: headers[index]?.trim() || '—' });

  const keyIndex = headers.findIndex((header) => header.trim().toLowerCase() === KEY_COLUMN);
  if (keyIndex < 0) return { ok: false, problems: [{ code: 'noKeyColumn' }] };
  const columns: Array<{ index: number; language: Language }> = [];
  headers.forEach((header, index) => {
    if (index === keyIndex) return;
    const language = languageOfHeader(header);
    const hasCells = records.some((record, row) => row > 0 && record[index]?.trim());
    if (!language) {
      if (header.trim() || hasCells) problems.push({ code: 'unknownColumn', ...at(1, index) });
    } else if (columns.some((column) => column.language === language)) {
      problems.push({ code: 'duplicateColumn', ...at(1, index) });
    } else {
      columns.push({ index, language });
    }
  });
  if (!columns.some((column) => column.language !== own) && !problems.length) return { ok: false, problems: [{ code: 'noLanguageColumn' }] };

  const updates = new Map<Language, Record<string, string>>(columns.filter((column) => column.language !== own).map((column) => [column.language, {}]));
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, index) => {
    const row = index + 2;
    if (record.every((cell) => !cell.trim())) return;
    record.forEach((cell, column) => {
      if (column >= headers.length && cell.trim()) problems.push({ code: 'extraCell', ...at(row, column) });
    });
    const key = (record[keyIndex] ?? '').trim();
    const text = texts.get(key);
    if (!key) return void problems.push({ code: 'noKey', ...at(row, keyIndex) });
    if (!text) return void problems.push({ code: 'unknownKey', key, ...at(row, keyIndex) });
    if (seen.has(key)) return void problems.push({ code: 'duplicateKey', key, firstRow: seen.get(key)!, ...at(row, keyIndex) });
    seen.set(key, row);
    for (const { index: column, language } of columns) problems.push(...readCell(text, withoutFormulaGuard(record[column] ?? ''), language === own, updates.get(language)).map((problem) => ({ ...problem, ...at(row, column) })));
  });
  if (problems.length) return { ok: false, problems };

  let updated = definition;
  for (const [language, values] of updates) updated = withLanguageTexts(updated, language, values);
  const before = questionnaireTexts(definition);
  const after = questionnaireTexts(updated);
  const changed = before.reduce((sum, entry, index) => sum + LANGUAGES.filter((language) => (entry.translations[language] ?? '') !== (after[index]!.translations[language] ?? '')).length, 0);
  return { ok: true, definition: updated, changed, languages: [...updates.keys()] };
}

/** One cell: the source cell must match the text (or be empty); a translation is checked and noted in `into`. */
function readCell(text: QuestionnaireText, cell: string, isSource: boolean, into: Record<string, string> | undefined): Array<Pick<TableProblem, 'code' | 'max' | 'expected'>> {
  if (isSource) return cell.trim() && cell.trim() !== text.source ? [{ code: 'sourceChanged', expected: excerpt(text.source, 60) }] : [];
  const checked = checkTranslation(cell, text.maxLength);
  if (!checked.ok) return [checked.problem];
  into![text.key] = checked.value;
  return [];
}
