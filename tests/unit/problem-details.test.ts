import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  TemporarilyUnavailableError,
  UnauthenticatedError,
  ValidationError,
} from '../../shared/errors';
import { toProblemResponse } from '../../shared/http/problem-details';

describe('toProblemResponse', () => {
  it.each([
    { error: new ValidationError('bad', [{ location: 'body', field: 'x', message: 'required' }]), status: 400 },
    { error: new UnauthenticatedError('who?'), status: 401 },
    { error: new NotFoundError('Project', 'p1'), status: 404 },
    { error: new ConflictError('twice'), status: 409 },
    { error: new RuleViolationError('no', { shortfall: '1.00' }), status: 422 },
  ])('exposes a deliberate $error.name as $status Problem Details', ({ error, status }) => {
    // Act
    const { response, exposed } = toProblemResponse(error, '/api/x');

    // Assess
    const body = JSON.parse(response.body as string);
    expect(exposed).toBe(true);
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({ status, title: error.title, detail: error.message, instance: '/api/x' });
    expect(body.type).toBe(`/problems/${error.type}`);
  });

  it('carries extensions but never lets them replace the standard members', () => {
    const error = new RuleViolationError('short', { shortfall: '2.50', status: 200, type: 'x' });
    const body = JSON.parse(toProblemResponse(error).response.body as string);
    expect(body).toMatchObject({ shortfall: '2.50', status: 422, type: '/problems/rule-violation' });
  });

  it('hides everything about an unexpected error', () => {
    const { response, exposed } = toProblemResponse(new Error('password=hunter2 at db.internal:5432'));
    expect(exposed).toBe(false);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(JSON.parse(response.body as string)).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('answers 503 with Retry-After when the request can only be served later', () => {
    const error = new TemporarilyUnavailableError('The database is resuming from auto-pause; try again in 8 s', 8, { cause: new Error('internal') });

    const { response, exposed } = toProblemResponse(error, '/api/x');

    expect(exposed).toBe(true);
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '8' });
    expect(JSON.parse(response.body as string)).toEqual({
      type: '/problems/temporarily-unavailable',
      title: 'Temporarily unavailable',
      status: 503,
      detail: 'The database is resuming from auto-pause; try again in 8 s',
      instance: '/api/x',
      retry_after_seconds: 8,
    });
  });

  it('asks for a bearer token on 401', () => {
    expect(toProblemResponse(new UnauthenticatedError('no token')).response.headers?.['www-authenticate']).toBe('Bearer');
  });
});
