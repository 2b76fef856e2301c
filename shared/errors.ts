/**
 * Errors the application raises on purpose. Each knows its HTTP status and Problem Details
 * type; the HTTP layer maps them once (shared/http/problem-details.ts). Anything else that
 * escapes a handler is a bug and becomes a bare 500.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Short slug for the Problem Details `type` URI. */
  abstract readonly type: string;
  abstract readonly title: string;

  constructor(
    message: string,
    /** Extra members for the Problem Details body (snake_case, safe to show the caller). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldError {
  /** Where the value was: `body`, `query` or `path`, then the field's path. */
  location: 'body' | 'query' | 'path' | 'header';
  field: string;
  message: string;
  /** For an amount past the most its type holds: that most (the request is then a 422). */
  limit?: string;
}

/** 400: the request is malformed or fails validation; nothing was written. */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly type = 'validation-error';
  readonly title = 'Your request is not valid';
  constructor(message: string, readonly errors: readonly FieldError[] = []) {
    super(message, { errors });
  }
}

/** 401: no caller could be established. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly type = 'unauthenticated';
  readonly title = 'Authentication required';
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'Not allowed';
}

/** 404: the resource named in the path does not exist (or is not visible to the caller). */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
  constructor(resource: string, id: string) {
    super(`${resource} ${id} was not found`, { resource, id });
  }
}

/** 409: the request conflicts with the resource's current state. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly type = 'conflict';
  readonly title = 'Conflict with the current state';
}

/** 422: well-formed, but a business rule refuses it. */
export class RuleViolationError extends AppError {
  readonly status = 422;
  readonly type = 'rule-violation';
  readonly title = 'The request breaks a business rule';
}

/**
 * 503: the request cannot be served yet, only later: the database is resuming from auto-pause
 * and the invocation has no time left to wait for it. Nothing was written.
 *
 * Not an AppError, on purpose: it is no decision about the request, so no use case may turn it
 * into one (a rule violation, a redemption rejected for lack of funds). It passes through to the
 * trigger, which answers 503 with Retry-After (HTTP) or fails the message or step, so that SQS or
 * Step Functions try again.
 */
export class TemporarilyUnavailableError extends Error {
  readonly status = 503;
  readonly type = 'temporarily-unavailable';
  readonly title = 'Temporarily unavailable';

  constructor(
    message: string,
    /** When to try again, for the Retry-After header. */
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
