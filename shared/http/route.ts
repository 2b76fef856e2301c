import type * as z from '../zod';
import type { UserRole } from '../db/schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `public`: no token needed. Otherwise the roles that may call the route. */
export type Access = 'public' | readonly UserRole[];

/**
 * AWS resources a function touches. Infrastructure grants exactly these (and sets the matching
 * environment); nothing else.
 */
export type ResourceUse =
  | 'database'
  | 'allocation-queue'
  | 'redemption-queue'
  | 'redemption-workflow:start'
  | 'redemption-workflow:decide'
  | 'redemption-workflow:describe'
  /** PutEvents on the stage's event bus (domain events). */
  | 'event-bus'
  /** Publish to the approvers' SNS topic. */
  | 'approvers-topic';

export interface RequestSchemas {
  path?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
}

/**
 * What a success answers. `body` is the schema the handler's DTO is typed by (httpHandler
 * refuses a result of another shape or status) and the API reference documents.
 */
export interface ResponseDefinition {
  /** Default 200. */
  status?: 200 | 201 | 202;
  body: z.ZodMiniType;
  /** Default `application/json`; a text type's `body` is a string schema. */
  contentTypes?: readonly string[];
}

/**
 * One entry of the route table (functions/routes/index.ts). Infrastructure creates a Lambda and an
 * API Gateway route from it, the local server serves it, and the handler enforces its access
 * and validates its request with it.
 */
export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/api/projects/{projectId}`. */
  path: string;
  access: Access;
  /** Module exporting `handler`, relative to the repository root. */
  handler: string;
  summary: string;
  request: RequestSchemas;
  uses: readonly ResourceUse[];
  response: ResponseDefinition;
  /**
   * Refusals its shape does not imply, for the API reference (shared/openapi/document.ts,
   * problemStatuses), e.g. `[404]` for a read of something that may not exist yet.
   */
  problems?: readonly (404 | 409 | 422)[];
  /**
   * Which of its requests wait for a second admin under DUAL_CONTROL=on, answered 202 with the
   * proposal (shared/dual-control/) instead of the success above, e.g. 'An issue'.
   */
  dualControl?: string;
  /** A valid request body, shown in the API reference (every POST with a body has one). */
  example?: { body: unknown };
  /**
   * Files of an installed package the handler reads at run time. A Lambda bundle has no
   * node_modules: the deployment copies them next to the handler and points `dirEnv` there.
   */
  bundledFiles?: { package: string; files: readonly string[]; dirEnv: string };
}

export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;
