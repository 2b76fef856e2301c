import { Duration, NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import { Construct, type IDependable } from 'constructs';
import type { RouteDefinition } from '../../shared/http/route';
import type { StageConfig } from '../config';
import { AppFunction } from '../constructs/app-function';
import type { HttpApiGateway } from '../constructs/http-api';
import { pascalCase } from '../naming';
import { type BindableResources, bindUses } from '../resource-bindings';

/** API Gateway stops waiting for an integration after 30 s. */
const API_FUNCTION_TIMEOUT = Duration.seconds(29);

export interface RouteAreaStackProps extends NestedStackProps {
  config: StageConfig;
  /** The entries of one area of the route table (infra/route-areas.ts). */
  routes: readonly [string, RouteDefinition][];
  api: HttpApiGateway;
  resources: BindableResources;
  /** The functions touch the database: the whole nested stack is deployed only after this (the migrations). */
  after: IDependable;
}

/**
 * One area of the route table (the handlers under functions/<area>/) as a nested stack: per
 * entry a Lambda with its log group and role, and its API route, integration and invoke
 * permission — seven resources a route, which no longer count against the parent stack's 500.
 *
 * Why nested stacks rather than top-level ones: the parent passes the API id, the authorizer
 * and the workflow's ARN as stack parameters, not exports, so nothing is export-locked and
 * there is no deploy order to keep by hand; the parent and all its areas deploy and roll back
 * as one. Why by area rather than in fixed-size chunks: a route stays in its nested stack when
 * other routes come or go. Moving it to another stack would create its named log group
 * there before the old stack lets go of it, and the deploy would fail with "already exists".
 */
export class RouteAreaStack extends NestedStack {
  constructor(scope: Construct, id: string, { config, routes, api, resources, after, ...props }: RouteAreaStackProps) {
    super(scope, id, props);
    // Named `Routes` so that each function logs to /tokenstocks/<stage>/Routes/<Name>, whatever its area.
    const routeFunctions = new Construct(this, 'Routes');
    for (const [name, route] of routes) {
      const fn = new AppFunction(routeFunctions, pascalCase(name), {
        handler: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        timeout: API_FUNCTION_TIMEOUT,
        config,
        bundledFiles: route.bundledFiles,
      });
      bindUses(fn, route.uses, resources);
      // New code is served only once the schema it expects is in place.
      fn.node.addDependency(after);
      api.addRoute(routeFunctions, pascalCase(name), route, fn);
    }
  }
}
