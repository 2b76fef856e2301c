import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from '../zod';
import { type Db, getDb } from '../db/client';
import type { ProposalDto } from '../dual-control/schemas';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { appendInvocationKeys, logInvocation } from '../logger';
import { provisionCaller } from '../users/provision-caller';
import type { Caller, CallerFromToken, RequestMeta } from '../identity/caller';
import { callerFromClaims } from './caller';
import { parseRequest } from './parse-request';
import { type ApiEvent, type ApiResult, type HttpResult, problemDetails, toResponse } from './responses';
import type { HttpMethod, RouteDefinition } from './route';

export { type ApiEvent, type ApiResult, accepted, created, type HttpResult, ok, text } from './responses';

type Parsed<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface ApiRequest<R extends RouteDefinition> {
  path: Parsed<R['request']['path']>;
  query: Parsed<R['request']['query']>;
  body: Parsed<R['request']['body']>;
  caller: R['access'] extends 'public' ? undefined : Caller;
  meta: RequestMeta;
  db: Db;
}

type SuccessStatus<R extends RouteDefinition> = R['response'] extends { status: infer S extends number } ? S : 200;

/**
 * What a route's handler may answer: its `response` (body typed by the schema, so a DTO cannot
 * drift from the API reference), or, for a `dualControl` route, 202 with the proposal.
 */
export type RouteResult<R extends RouteDefinition> =
  | HttpResult<z.output<R['response']['body']>, SuccessStatus<R>>
  | (R extends { dualControl: string } ? HttpResult<ProposalDto, 202> : never);

/**
 * Authenticates from the claims API Gateway's JWT authorizer verified (401 without them) and
 * checks the route's roles (403). Public routes have no caller.
 */
function authorize(route: RouteDefinition, event: ApiEvent): CallerFromToken | undefined {
  if (route.access === 'public') return undefined;
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (claims === undefined) throw new UnauthenticatedError('A bearer token is required');
  const caller = callerFromClaims(claims);
  // From here on every line of the request names its caller, refusals included.
  appendInvocationKeys({ caller_id: caller.id });
  if (!route.access.includes(caller.role)) {
    throw new ForbiddenError(`This operation is for ${route.access.join(' or ')} users`);
  }
  return caller;
}

/**
 * How a request's work runs: once per Idempotency-Key for a POST (shared/http/post-handler.ts),
 * as it is otherwise. Called before the caller is provisioned, so a bad key writes nothing.
 */
export type WorkRunner = (
  event: ApiEvent,
  context: Context,
  caller: Caller | undefined,
) => (work: () => Promise<HttpResult>) => Promise<HttpResult>;

const runDirectly: WorkRunner = () => (work) => work();

/** A route other than a POST: POSTs take an Idempotency-Key and are built by postHandler. */
export type RouteWithoutIdempotency = RouteDefinition & { method: Exclude<HttpMethod, 'POST'> };

/**
 * Builds the Lambda handler for one route of the table that is not a POST (postHandler builds
 * those, with the Idempotency-Key support only they load).
 *
 * @example
 * export const handler = httpHandler(projectRoutes.getProject, async ({ path, caller, db }) =>
 *   ok(toProjectDto(await getProject(db, caller, path.projectId))));
 */
export const httpHandler = <R extends RouteWithoutIdempotency>(route: R, handle: (request: ApiRequest<R>) => Promise<RouteResult<R>>) =>
  routeHandler(route, handle, runDirectly);

/** The Lambda handler of `route`, whose work `runner` runs (httpHandler, postHandler). */
export function routeHandler<R extends RouteDefinition>(
  route: R,
  handle: (request: ApiRequest<R>) => Promise<RouteResult<R>>,
  runner: WorkRunner,
) {
  const handler = middy<ApiEvent, ApiResult, Error, Context>()
    .use(problemDetails())
    .handler(async (event, context) => {
      const caller = authorize(route, event);
      const input = parseRequest(route.request, event);
      const run = runner(event, context, caller);
      if (caller !== undefined) await provisionCaller(getDb(), caller);
      const result = await run(() =>
        handle({
          ...input,
          caller,
          // Resolved on first use: a route whose `uses` leave out the database (the public
          // health check) has no database configuration on Lambda.
          get db() {
            return getDb();
          },
          meta: {
            requestId: event.requestContext.requestId,
            sourceIp: event.requestContext.http.sourceIp || null,
            userAgent: event.requestContext.http.userAgent || null,
          },
        } as ApiRequest<R>),
      );
      return toResponse(result);
    });
  // Every line of the request, its refusal included, names the request and none other. The event
  // is never logged: it holds the Authorization header.
  return (event: ApiEvent, context: Context): Promise<ApiResult> =>
    logInvocation(context, { request_id: event.requestContext.requestId, route: event.routeKey }, () => handler(event, context));
}
