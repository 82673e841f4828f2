import { z } from 'zod';

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

export function text(max: number, label = 'This field') {
  return z
    .string({ error: `${label} must be text.` })
    .transform((value) => withoutPageIsolate(value.trim()).trim())
    .pipe(
      z
        .string()
        .max(max, `${label} can be at most ${max} characters.`)
        .refine((value) => !CONTROL_CHARACTERS.test(value), `${label} contains characters that are not allowed.`),
    );
}

export function requiredText(max: number, label = 'This field') {
  return text(max, label).pipe(z.string().min(1, `${label} is required.`));
}

export function emailAddress(label = 'Email') {
  return text(254, label).pipe(
    z
      .string()
      .min(1, `${label} is required.`)
      .pipe(z.email(`${label} must be a valid email address, like name@example.com.`))
      .transform((value) => value.toLowerCase()),
  );
}

export function calendarDay(label = 'Date') {
  return text(10, label).pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date (YYYY-MM-DD).`)
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), `${label} is not a real date.`),
  );
}

export function newPassword(label = 'Password') {
  return z
    .string({ error: `${label} must be text.` })
    .min(10, `${label} must be at least 10 characters.`)
    .max(200, `${label} can be at most 200 characters.`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), `${label} contains characters that are not allowed.`);
}
