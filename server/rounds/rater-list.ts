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

/**
 * Reads "email,name,group" lines (a header line is allowed). Every problem is reported with its
 * line number and nothing is returned as valid unless the whole list is: adding is all or nothing.
 */
export function parseRaterList(
  text: string,
  groups: RoundGroup[],
  taken: { emails: Set<string>; clientEmail: string },
): { raters: RaterEntry[]; errors: RaterLineError[] } {
  const lines = text.split(/\r?\n/);
  const errors: RaterLineError[] = [];
  const raters: RaterEntry[] = [];
  const seen = new Map<string, number>();
  if (lines.filter((line) => line.trim()).length > MAX_RATER_LINES) {
    return { raters: [], errors: [{ line: 0, message: `At most ${MAX_RATER_LINES} raters at a time.` }] };
  }
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    if (!raw.trim()) return;
    const [emailField = '', nameField = '', groupField = '', ...extra] = splitFields(raw);
    if (index === 0 && /^e-?mail$/i.test(emailField)) return; // header
    const email = emailField.toLowerCase();
    const problem = (message: string) => errors.push({ line: lineNumber, message });
    if (!emailSchema.safeParse(email).success) return problem(`"${emailField.slice(0, 80)}" is not a valid email address.`);
    if (extra.some((field) => field !== '')) return problem('Too many columns: use email,name,group.');
    if (nameField.length > 120) return problem('The name can be at most 120 characters.');
    if (/[\u0000-\u001f\u007f]/.test(nameField)) return problem('The name contains characters that are not allowed.');
    const group = findGroup(groups, groupField);
    if (!group) return problem(groupField ? `Unknown group "${groupField.slice(0, 40)}". Use one of: ${describeGroups(groups)}.` : `Say which group: ${describeGroups(groups)}.`);
    if (group.self) return problem('The client is added to the self group automatically; choose another group.');
    if (email === taken.clientEmail) return problem(`${email} is the client's own address.`);
    const earlier = seen.get(email);
    if (earlier !== undefined) return problem(`${email} is already on line ${earlier}.`);
    if (taken.emails.has(email)) return problem(`${email} is already a rater in this round.`);
    seen.set(email, lineNumber);
    raters.push({ email, name: nameField, groupKey: group.key });
  });
  return errors.length ? { raters: [], errors } : { raters, errors };
}
