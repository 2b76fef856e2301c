import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import type { RouteDefinition } from '../../shared/http/route';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, registerUser, rowCounts } from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
// Requests that pass validation may enqueue work (calculate): the queues exist, nothing drains them.
useQueues();

const RUNS_PER_ROUTE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Known {
  admin: TestUser;
  lp: TestUser;
  ids: string[];
}

/** Values that break schemas: wrong types, huge and odd strings, negative and over-scale decimals. */
const nastyValue = (ids: string[]) =>
  fc.oneof(
    fc.constantFrom('-1', '-0.0000001', '1.12345678', '1e400', '0x10', 'NaN', 'Infinity', '', ' ', '99999999999999999999999999.1234567'),
    fc.constantFrom('2026-13-45T25:61:00Z', '2026-01-01T00:00:00', 'yesterday', 'not-a-uuid', '00000000-0000-0000-0000-000000000000'),
    fc.constantFrom('x'.repeat(100_000), '\u0000', '\ud800', "'; DROP TABLE users; --", '<script>', '../../etc/passwd'),
    fc.constantFrom(...ids),
    fc.uuid(),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, true, false, [], {}),
    fc.jsonValue({ maxDepth: 2 }),
  );

/** A path parameter: a known id, an unknown UUID, or anything else (bounded: URLs have a length limit). */
const pathValue = (ids: string[]) =>
  fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ minLength: 1, maxLength: 200 }), fc.constantFrom('not-a-uuid', 'x'.repeat(2000), '%', '..'));

/** URL-encodes any string, lone surrogates included (as U+FFFD, which is what a client would send). */
const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/** Puts a known id in place of each UUID of the example, so requests reach the rules behind validation. */
function withKnownIds(value: unknown, pick: () => string): unknown {
  if (typeof value === 'string') return UUID.test(value) ? pick() : value;
  if (Array.isArray(value)) return value.map((item) => withKnownIds(item, pick));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withKnownIds(v, pick)]));
  return value;
}

/** A raw request body: a mutated example (field dropped, changed, added or duplicated), random JSON, broken JSON, or none. */
function bodyArbitrary(route: RouteDefinition, ids: string[]): fc.Arbitrary<string | undefined> {
  const example = (route.example?.body ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(example), ...keysOf(route.request.body)])];
  const key = keys.length === 0 ? fc.string() : fc.oneof(fc.constantFrom(...keys), fc.string());
  const base = fc.nat().map((seed) => {
    let n = seed;
    return withKnownIds(example, () => ids[n++ % ids.length]!) as Record<string, unknown>;
  });
  const mutated = fc
    .tuple(base, fc.array(fc.tuple(fc.constantFrom('drop', 'set', 'duplicate'), key, nastyValue(ids)), { minLength: 1, maxLength: 3 }))
    .map(([body, mutations]) => {
      const copy: Record<string, unknown> = { ...body };
      const duplicates: string[] = [];
      for (const [kind, field, value] of mutations) {
        if (kind === 'drop') delete copy[field];
        else if (kind === 'set') copy[field] = value;
        else duplicates.push(`${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}`);
      }
      const text = JSON.stringify(copy);
      return duplicates.length === 0 ? text : `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${duplicates.join(',')}}`;
    });
  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '{', 'null', '[]', '"text"', '{"a":1}}', 'undefined', '\u0000', '{"__proto__":{"x":1}}') },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Garbage query strings, on the route's own parameter names as well as unknown ones. */
function queryArbitrary(route: RouteDefinition, ids: string[]): fc.Arbitrary<string> {
  const names = keysOf(route.request.query);
  const name = names.length === 0 ? fc.string({ maxLength: 20 }) : fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 20 }));
  const value = nastyValue(ids).map((v) => (typeof v === 'string' ? v.slice(0, 500) : JSON.stringify(v) ?? ''));
  return fc
    .array(fc.tuple(name, value), { maxLength: 4 })
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`));
}

function requestArbitrary(route: RouteDefinition, known: Known) {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  return fc.record({
    path: fc.tuple(...params.map(() => pathValue(known.ids))).map((values) => {
      let path = route.path;
      params.forEach((param, index) => (path = path.replace(`{${param}}`, encode(String(values[index])))));
      return path;
    }),
    query: queryArbitrary(route, known.ids),
    body: route.method === 'GET' ? fc.constant(undefined) : bodyArbitrary(route, known.ids),
    caller: fc.constantFrom<'admin' | 'lp' | 'anonymous'>('admin', 'admin', 'admin', 'lp', 'anonymous'),
  });
}

/** An admin (already provisioned), a registered LP, a project and a draft event: ids that exist. */
async function seed(): Promise<Known> {
  const admin = newUser('admin');
  const lp = newUser('lp');
  await registerUser(api, admin, lp);
  const projectId = await createProject(api, admin);
  const eventId = await createDistribution(api, admin, projectId);
  return { admin, lp, ids: [projectId, eventId, lp.id, admin.id] };
}

describe('fuzzed requests', () => {
  it.each(Object.entries(routes) as Array<[string, RouteDefinition]>)(
    '%s: never a 5xx, 4xx as Problem Details with nothing written',
    async (_name, route) => {
      // Prepare
      const known = await seed();

      await fc.assert(
        fc.asyncProperty(requestArbitrary(route, known), async ({ path, query, body, caller }) => {
          const before = await rowCounts();

          // Act
          const response = await api.request(route.method, `${path}${query}`, {
            as: caller === 'anonymous' ? undefined : known[caller],
            rawBody: body,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
          });

          // Assess
          const detail = `${route.method} ${path}${query.slice(0, 200)} ${String(body).slice(0, 300)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
          expect(response.status, detail).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.headers.get('content-type'), detail).toBe('application/problem+json');
            expect(response.body, detail).toMatchObject({ status: response.status, title: expect.any(String) });
            expect(await rowCounts(), detail).toEqual(before);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
    60_000,
  );
});
