import { ValidationError } from '../errors';
import type { Caller } from '../identity/caller';
import { type ApiEvent, type ApiRequest, type HttpResult, type RouteResult, routeHandler, type WorkRunner } from './handler';
import { idempotentRunner } from './idempotency';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
import type { RouteDefinition } from './route';

/** The request's Idempotency-Key, scoped to its caller and route, when it has one (only a known caller's count). */
function idempotencyKeyOf(route: RouteDefinition, event: ApiEvent, caller: Caller | undefined): string | undefined {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined || caller === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ValidationError('The Idempotency-Key header is not valid', [
      { location: 'header', field: 'idempotency-key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
    ]);
  }
  return `${caller.id} ${route.method} ${route.path} ${key}`;
}

/**
 * Builds the Lambda handler of a POST route: as httpHandler, and a request carrying an
 * `Idempotency-Key` runs once (shared/http/idempotency.ts). Only POST handlers load the
 * idempotency runner: httpHandler refuses a POST route, so the compiler finds every one.
 *
 * @example
 * export const handler = postHandler(projectRoutes.createProject, async ({ body, caller, db, meta }) =>
 *   created(toProjectDto(await createProject(db, caller, body, meta))));
 */
export function postHandler<R extends RouteDefinition & { method: 'POST' }>(
  route: R,
  handle: (request: ApiRequest<R>) => Promise<RouteResult<R>>,
) {
  const idempotent = idempotentRunner<HttpResult>();
  const runOnce: WorkRunner = (event, context, caller) => {
    const key = idempotencyKeyOf(route, event, caller);
    if (key === undefined) return (work) => work();
    return (work) => idempotent({ key, request: { path: event.pathParameters ?? {}, body: event.body ?? null } }, context, work);
  };
  return routeHandler(route, handle, runOnce);
}
