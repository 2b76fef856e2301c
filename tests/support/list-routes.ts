import { expect } from 'vitest';
import { routes } from '../../functions/routes';
import type { RouteDefinition } from '../../shared/http/route';
import { type Api, newUser, type TestUser } from './api';
import { createDistribution, createProject, registerUser } from './fixtures';

/** The fields of an object schema (a route's path, query or body), none for anything else. */
export function fieldsOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/** Every route that pages with a cursor, by name. */
export const listRoutes = (): Array<[string, RouteDefinition]> =>
  (Object.entries(routes) as Array<[string, RouteDefinition]>).filter(([, route]) => fieldsOf(route.request.query).includes('cursor'));

/** An admin, a registered LP, a project and a draft event: ids that exist. */
export interface KnownIds {
  admin: TestUser;
  lp: TestUser;
  projectId: string;
  eventId: string;
}

export async function seedKnownIds(api: Api): Promise<KnownIds> {
  const admin = newUser('admin');
  const lp = newUser('lp');
  await registerUser(api, admin, lp);
  const projectId = await createProject(api, admin);
  const eventId = await createDistribution(api, admin, projectId);
  return { admin, lp, projectId, eventId };
}

/** A route's path with its parameters filled by ids that exist: a project, an LP, and an event for any other id. */
export function pathFor(route: RouteDefinition, known: KnownIds): string {
  return route.path.replace(/\{(\w+)\}/g, (_match, param: string) => {
    if (param === 'projectId') return known.projectId;
    if (param === 'lpId') return known.lp.id;
    return known.eventId;
  });
}

/** Every item of a list, page by page at `limit` (each page a 200 of at most `limit` items), and how many pages it took. */
export async function readAllPages(api: Api, path: string, as: TestUser, limit: number) {
  const items: Array<Record<string, any>> = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await api.get(`${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, { as });
    expect(response.status, `page ${pages + 1} of ${path}: ${JSON.stringify(response.body).slice(0, 500)}`).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.next_cursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}
