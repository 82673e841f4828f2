import { asText, Phrase } from './i18n/phrase';

/**
 * Domain errors. Services throw these; `app.onError` maps each `code` to one status and one page
 * (or JSON body). Anything else is an unexpected failure and is answered 500 without internals.
 */

/**
 * One message per field. A message from the schemas' building blocks (server/http/fields.ts) is a
 * Phrase, a String read as English, which render puts into the page's language.
 */
export type FieldErrors = Record<string, string>;

/** Field messages that are Phrases, held as the Strings they are (see FieldErrors). */
export function phrasedFields(fields: Record<string, Phrase>): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([field, phrase]) => [field, asText(phrase)]));
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
  /** The message as given: a Phrase is shown in the reader's language, `message` is its English. */
  readonly phrase: string | Phrase;
  constructor(message: string | Phrase, readonly details?: unknown) {
    super(String(message));
    this.name = new.target.name;
    this.phrase = message;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(message: string | Phrase = new Phrase('error.notFound')) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message: string | Phrase = new Phrase('error.signIn')) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
}

export class BadRequestError extends DomainError {
  readonly code = 'bad_request';
  readonly status = 400;
}

/** Input that breaks a rule; `fields` maps each offending field to a message a person can act on. */
export class InvalidError extends DomainError {
  readonly code = 'invalid';
  readonly status = 422;
  constructor(message: string | Phrase, readonly fields: FieldErrors = {}) {
    super(message, fields);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  readonly status = 413;
  constructor(message: string | Phrase = new Phrase('error.tooLarge')) {
    super(message);
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(message: string | Phrase, readonly retryAfterSeconds: number) {
    super(message);
  }
}
