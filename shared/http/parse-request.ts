import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { type FieldError, ValidationError } from '../errors';
import type { RequestSchemas } from './route';

type Location = 'path' | 'query' | 'body';

export interface ParsedRequest {
  path: unknown;
  query: unknown;
  body: unknown;
}

function fieldErrors(location: Location, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    location,
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
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

  if (errors.length > 0) throw new ValidationError('The request has invalid fields', errors);
  return parsed;
}
