import { z } from 'zod';
import { asText, Phrase, type PhraseValues } from '../i18n/phrase';

// Building blocks for form and JSON schemas. Text is trimmed; control characters are refused
// because PostgreSQL cannot store NUL and the others only ever arrive from hostile clients.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Pages wrap right-to-left text in an isolate (FSI … PDI, see isolateBidi in server/views.ts); a
 * form that shows such a value and is sent back must not store the wrapper with it.
 */
function withoutPageIsolate(value: string): string {
  return value.startsWith('\u2068') && value.endsWith('\u2069') ? value.slice(1, -1) : value;
}

/**
 * zod's message parameter for a message that is a Phrase (a catalogue key, its values and, for a
 * field, its English label), put into the reader's words when a page shows it and English in the
 * API's bodies: `z.string().min(1, saying('auth.password.currentRequired'))`. zod types a message as
 * a string; a Phrase is a String whose value is the English text, and zod hands it on untouched.
 */
export function saying(key: string, { label, values }: { label?: string; values?: PhraseValues } = {}) {
  return { error: () => ({ message: asText(new Phrase(key, values, label)) }) };
}

/** A building block's message: validation.<rule>, naming the field by its label ("This field" without one). */
function says(rule: string, label: string | undefined, values?: PhraseValues) {
  return saying(`validation.${rule}`, { label, values });
}

/** Text of at most `max` characters. Without a label, messages say "This field". */
export function text(max: number, label?: string) {
  return z
    .string(says('notText', label))
    .transform((value) => withoutPageIsolate(value.trim()).trim())
    .pipe(
      z
        .string()
        .max(max, says('tooLong', label, { max }))
        .refine((value) => !CONTROL_CHARACTERS.test(value), says('forbiddenCharacters', label)),
    );
}

export function requiredText(max: number, label?: string) {
  return text(max, label).pipe(z.string().min(1, says('required', label)));
}

export function emailAddress(label = 'Email') {
  return text(254, label).pipe(
    z
      .string()
      .min(1, says('required', label))
      .pipe(z.email(says('email', label)))
      .transform((value) => value.toLowerCase()),
  );
}

export function calendarDay(label = 'Date') {
  return text(10, label).pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, says('dateFormat', label))
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), says('notARealDate', label)),
  );
}

export function newPassword(label = 'Password') {
  return z
    .string(says('notText', label))
    .min(10, says('tooShort', label, { min: 10 }))
    .max(200, says('tooLong', label, { max: 200 }))
    .refine((value) => !CONTROL_CHARACTERS.test(value), says('forbiddenCharacters', label));
}
