import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from '../zod';
import { type FieldError, RuleViolationError, ValidationError } from '../errors';
import type { RequestSchemas } from './route';

type Location = 'path' | 'query' | 'body';

export interface ParsedRequest {
  path: unknown;
  query: unknown;
  body: unknown;
}

/** The most an amount may be, when that is what the issue is about (decimalString). */
function limitOf(issue: z.core.$ZodIssue): string | undefined {
  const limit: unknown = issue.code === 'custom' ? issue.params?.limit : undefined;
  return typeof limit === 'string' ? limit : undefined;
}

function fieldErrors(location: Location, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const limit = limitOf(issue);
    return {
      location,
      field: issue.path.map(String).join('.'),
      message: issue.message,
      ...(limit === undefined ? {} : { limit }),
    };
  });
}

/**
 * A well-formed request whose only fault is amounts past what their types hold breaks a rule
 * (422, each error naming its limit); anything malformed beside them makes it a 400.
 */
function requestError(errors: FieldError[]): ValidationError | RuleViolationError {
  if (errors.every((error) => error.limit !== undefined)) {
    const detail = errors.map((error) => `${error.field} ${error.message}`).join('; ');
    return new RuleViolationError(`The request has amounts past what they may be: ${detail}`, { errors });
  }
  return new ValidationError('The request has invalid fields', errors);
}

function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON', [
      { location: 'body', field: '', message: 'Malformed JSON' },
    ]);
  }
}

/**
 * Validates path parameters, query string and JSON body against the route's zod schemas and
 * reports every failing field at once. Parts a route declares no schema for must be absent
 * (a body sent to a route without one is refused rather than silently ignored).
 */
export function parseRequest(schemas: RequestSchemas, event: APIGatewayProxyEventV2): ParsedRequest {
  const raw: Record<Location, unknown> = {
    path: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    body: readJsonBody(event),
  };
  const parsed: Record<Location, unknown> = { path: {}, query: {}, body: undefined };
  const errors: FieldError[] = [];

  for (const location of ['path', 'query', 'body'] as const) {
    const schema = schemas[location];
    if (schema === undefined) {
      if (location === 'body' && raw.body !== undefined) {
        errors.push({ location, field: '', message: 'This route takes no request body' });
      }
      continue;
    }
    const result = schema.safeParse(raw[location]);
    if (result.success) parsed[location] = result.data;
    else errors.push(...fieldErrors(location, result.error));
  }

  if (errors.length > 0) throw requestError(errors);
  return parsed;
}
