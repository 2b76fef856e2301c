import type { RouteDefinition } from '../shared/http/route';

/** A route table: functions/routes/index.ts, or any table of the same shape. */
export type RouteTable = Readonly<Record<string, RouteDefinition>>;

const HANDLER_IN_AREA = /^functions\/([a-z0-9-]+)\/[^/]+\.ts$/;

/**
 * The area of a route: the folder of its handler, `functions/<area>/<operation>.ts`.
 *
 * ### Examples
 * ```ts
 * routeAreaOf(routes.getProject) // 'projects' (functions/projects/get-project.ts)
 * ```
 */
export function routeAreaOf(route: RouteDefinition): string {
  const area = HANDLER_IN_AREA.exec(route.handler)?.[1];
  if (area === undefined) throw new Error(`route handler ${route.handler} is not functions/<area>/<operation>.ts`);
  return area;
}

/** The entries of a route table grouped by area, areas and entries in table order. */
export function routesByArea(table: RouteTable): Map<string, [string, RouteDefinition][]> {
  const areas = new Map<string, [string, RouteDefinition][]>();
  for (const [name, route] of Object.entries(table)) {
    const area = routeAreaOf(route);
    areas.set(area, [...(areas.get(area) ?? []), [name, route]]);
  }
  return areas;
}
