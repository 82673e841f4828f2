import type { Context, MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { BadRequestError, DomainError, InvalidError, type FieldErrors } from '../errors';
import { asText, Phrase } from '../i18n/phrase';
import type { AppEnv } from './context';

export type FormValues = Record<string, string>;

/**
 * Parses a url-encoded body once, with URLSearchParams, into hono's body cache, where the CSRF
 * check, the form validators and `parseBody` all look first. Hono's own path builds a WHATWG
 * Response and a web stream for every form post, about four times the CPU; on the survey submission
 * that was a tenth of the request (see the Performance section of README.md).
 */
export function urlEncodedFormsOnce(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
      c.req.bodyCache.formData = toFormData(await readBody(c));
    }
    await next();
  };
}

async function readBody(c: Context): Promise<string> {
  try {
    return await c.req.text();
  } catch (error) {
    // Too large is its own answer (413); anything else is a body that never fully arrived.
    if (error instanceof DomainError) throw error;
    throw new BadRequestError(new Phrase('error.formIncomplete'));
  }
}

function toFormData(body: string): FormData {
  const form = new FormData();
  for (const [name, value] of new URLSearchParams(body)) form.append(name, value);
  return form;
}

/** One message per field (the first), keyed by the field's dotted path. */
export function fieldErrors(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** What the user typed, as strings, so a re-rendered form keeps it (files and passwords are dropped). */
export function keptValues(input: unknown): FormValues {
  const values: FormValues = {};
  if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      if (typeof value === 'string' && !/password/i.test(key) && key !== '_csrf') values[key] = value;
    }
  }
  return values;
}

export type InvalidFormHandler<E extends AppEnv = AppEnv> = (
  c: Context<E>,
  values: FormValues,
  errors: FieldErrors,
) => Response | Promise<Response>;

/**
 * Validates a urlencoded or multipart form. Invalid input is not an exception: `onInvalid`
 * re-renders the form with status 422, the input kept and a message next to each field.
 */
export function validForm<S extends z.ZodType, E extends AppEnv = AppEnv>(schema: S, onInvalid: InvalidFormHandler<E>) {
  return zValidator('form', schema, async (result, c) => {
    if (!result.success) {
      return onInvalid(c as unknown as Context<E>, keptValues(result.data), fieldErrors(result.error));
    }
  });
}

/**
 * Runs a service call whose rules may reject the input (an InvalidError, e.g. "email already
 * used"); the form is then re-rendered with those messages instead of failing the request.
 */
export async function orRerender(
  work: () => Promise<Response>,
  rerender: (errors: FieldErrors) => Response | Promise<Response>,
): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    // A Phrase stays one (FieldErrors holds it as the String it is) until the page is rendered.
    if (error instanceof InvalidError) return rerender(Object.keys(error.fields).length ? error.fields : { _form: error.phrase instanceof Phrase ? asText(error.phrase) : error.phrase });
    throw error;
  }
}
