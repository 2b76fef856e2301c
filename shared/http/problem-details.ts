import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, TemporarilyUnavailableError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 body. `type` is a relative reference documented at /problems/<slug>. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

const withoutStandardMembers = (extensions: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(extensions).filter(([key]) => !STANDARD_MEMBERS.has(key)));

export function problemFor(error: AppError, instance?: string): ProblemDetails {
  return {
    type: `/problems/${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    ...withoutStandardMembers(error.extensions),
  };
}

/** What a caller sees for any error not raised on purpose: no message, no stack, no cause. */
export function internalProblem(instance?: string): ProblemDetails {
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The server could not complete the request. It has been logged.',
    ...(instance === undefined ? {} : { instance }),
  };
}

export function problemResponse(
  problem: ProblemDetails,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(problem),
  };
}

export function toProblemResponse(error: unknown, instance?: string): {
  response: APIGatewayProxyStructuredResultV2;
  exposed: boolean;
} {
  if (error instanceof AppError) {
    const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    return { response: problemResponse(problemFor(error, instance), headers), exposed: true };
  }
  if (error instanceof TemporarilyUnavailableError) {
    const problem = {
      type: `/problems/${error.type}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance === undefined ? {} : { instance }),
      retry_after_seconds: error.retryAfterSeconds,
    };
    return { response: problemResponse(problem, { 'retry-after': String(error.retryAfterSeconds) }), exposed: true };
  }
  return { response: problemResponse(internalProblem(instance)), exposed: false };
}
