import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logInvocation } from '../logger';
import type { ApiRequest, RouteResult } from './handler';
import { parseRequest } from './parse-request';
import { type ApiEvent, type ApiResult, problemDetails, toResponse } from './responses';
import type { RouteDefinition } from './route';

/** A public route that touches no AWS resource: no token, no database. */
export type DatabaseFreeRoute = RouteDefinition & { access: 'public'; uses: readonly [] };

export type PublicRequest<R extends RouteDefinition> = Pick<ApiRequest<R>, 'path' | 'query' | 'body'>;

/**
 * Builds the Lambda handler of a public route that uses nothing (the health check, the API
 * reference) as httpHandler does, without what only a caller or the database needs (their
 * provisioning, the database client, idempotency, the invocation clock its retries read): its
 * bundle, and cold start, carry none of it. A route that uses a resource does not type-check here.
 *
 * @example
 * export const handler = publicHandler(healthRoutes.getHealth, async () => ok({ status: 'ok' }));
 */
export function publicHandler<R extends DatabaseFreeRoute>(route: R, handle: (request: PublicRequest<R>) => Promise<RouteResult<R>>) {
  const handler = middy<ApiEvent, ApiResult, Error, Context>()
    .use(problemDetails())
    .handler(async (event) => toResponse(await handle(parseRequest(route.request, event) as PublicRequest<R>)));
  // As httpHandler: every line names the request; the event is never logged.
  return (event: ApiEvent, context: Context): Promise<ApiResult> =>
    logInvocation(context, { request_id: event.requestContext.requestId, route: event.routeKey }, () => handler(event, context));
}
