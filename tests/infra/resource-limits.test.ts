import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { type RouteTable, routesByArea } from '../../infra/route-areas';
import type { RouteDefinition } from '../../shared/http/route';
import { resourcesOf, synthesizeStage } from './synthesize';

/** CloudFormation's quota of resources in one stack (a nested stack is a stack of its own). */
const MAX_RESOURCES_PER_STACK = 500;

/** Every route twice: the original and a twin at `<path>/twin` in the same area. */
const doubled: RouteTable = Object.fromEntries(
  (Object.entries(routes) as [string, RouteDefinition][]).flatMap(([name, route]) => [
    [name, route],
    [`${name}Twin`, { ...route, path: `${route.path}/twin` }],
  ]),
);

const today = synthesizeStage();
const twice = synthesizeStage({}, { routes: doubled });

describe('CloudFormation resource limits', () => {
  it('synthesizes twice today’s route table with cdk-nag clean and every route served', () => {
    expect(twice.violations).toBeNull();
    expect(Object.keys(resourcesOf(twice.stateless, 'AWS::ApiGatewayV2::Route'))).toHaveLength(2 * Object.keys(routes).length);
  });

  it.each(twice.templates.map((deployed) => [deployed.name, deployed.resourceCount] as const))(
    'keeps %s under 500 resources with twice today’s routes (%i)',
    (_name, resourceCount) => {
      expect(resourceCount).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
    },
  );

  it('keeps the routes out of the parent stack: doubling them leaves its resource count unchanged', () => {
    const parentCount = (stage: typeof today) => Object.keys(stage.statelessParent.toJSON().Resources).length;

    expect(parentCount(twice)).toBe(parentCount(today));
    expect(resourcesOf(today.statelessParent, 'AWS::ApiGatewayV2::Route')).toEqual({});
  });

  it('gives each area of the route table a nested stack that grows by the same count per route', () => {
    const areas = routesByArea(routes);
    const nested = today.templates.filter((deployed) => deployed.nested);
    const perRoute = nested.map((deployed) => {
      const routeCount = Object.keys(resourcesOf(deployed.template, 'AWS::ApiGatewayV2::Route')).length;
      return deployed.resourceCount / routeCount;
    });

    expect(nested).toHaveLength(areas.size);
    expect(new Set(perRoute).size).toBe(1);
    // The largest area doubled still fits: 2 × its routes × resources per route ≤ 500.
    const largestArea = Math.max(...[...areas.values()].map((entries) => entries.length));
    expect(2 * largestArea * (perRoute[0] ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
  });
});
