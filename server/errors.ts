/**
 * Domain errors. Services throw these; `app.onError` maps each `code` to one status and one page
 * (or JSON body). Anything else is an unexpected failure and is answered 500 without internals.
 */
export type FieldErrors = Record<string, string>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(message = 'This page does not exist, or you do not have access to it.') {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message = 'Please sign in.') {
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
  constructor(message: string, readonly fields: FieldErrors = {}) {
    super(message, fields);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  readonly status = 413;
  constructor(message = 'What you sent is too large.') {
    super(message);
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}
