import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import type { RouteDefinition } from '../../shared/http/route';
import { type ApiResponse, type TestUser, useApi } from '../support/api';
import { isGatewayAnswer } from '../support/gateway-answers';
import { rowCounts } from '../support/fixtures';
import {
  cursorOfListKeys,
  type Field,
  fieldsOfRoute,
  forgedCursor,
  instantInRange,
  instantMalformed,
  instantOutOfRange,
  isInstantField,
  longestAccepted,
  maxCharsOf,
  overLong,
  withNul,
} from '../support/input-arbitraries';
import { type KnownIds, pathFor, seedKnownIds } from '../support/list-routes';
import { useQueues } from '../support/queues';

const api = useApi();
// Requests that pass validation may enqueue work (calculate): the queues exist, nothing drains them.
useQueues();

const RUNS_PER_ROUTE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Known extends KnownIds {
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
  const known = await seedKnownIds(api);
  return { ...known, ids: [known.projectId, known.eventId, known.lp.id, known.admin.id] };
}

describe('fuzzed requests', () => {
  it.each(Object.entries(routes) as Array<[string, RouteDefinition]>)(
    '%s: never a 5xx, 4xx as Problem Details (or the gateway\'s own 401 and 404) with nothing written',
    async (_name, route) => {
      // Prepare
      const known = await seed();
      // What the last refused request left, already found equal to what was there before it.
      let unchanged: Record<string, number> | undefined;

      await fc.assert(
        fc.asyncProperty(requestArbitrary(route, known), async ({ path, query, body, caller }) => {
          const before = unchanged ?? (await rowCounts());
          unchanged = undefined;

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
            // No token, or a path no route has (a `..` the client resolved): the gateway's own answer.
            const byGateway = caller === 'anonymous' || response.status === 404;
            if (byGateway && isGatewayAnswer(response)) expect([401, 404], detail).toContain(response.status);
            else {
              expect(response.headers.get('content-type'), detail).toBe('application/problem+json');
              expect(response.body, detail).toMatchObject({ status: response.status, title: expect.any(String) });
            }
            const after = await rowCounts();
            expect(after, detail).toEqual(before);
            unchanged = after;
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
    60_000,
  );
});

// ---- one class of bad input at a time, in every field that takes it (issue 11) -------------

const RUNS_PER_FIELD = 3;
const RUNS_PER_INSTANT_FIELD = 12;
const RUNS_PER_CURSOR = 25;

/** The caller a route lets through to validation: an admin, or an LP where only LPs may call. */
const callerFor = (route: RouteDefinition, known: Known): TestUser =>
  route.access !== 'public' && !route.access.includes('admin') ? known.lp : known.admin;

/** The id an example's field stands for: the LP for a holder, the project for a project. */
const knownIdOf = (key: string, known: Known): string | undefined =>
  key.endsWith('holder_id') ? known.lp.id : key === 'project_id' ? known.projectId : undefined;

/** The route's example body with ids that exist, so that a request of it reaches the write behind validation. */
function validBody(route: RouteDefinition, known: Known): Record<string, unknown> {
  let n = 0;
  const example = (route.example?.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(example).map(([key, value]) => [key, withKnownIds(value, () => knownIdOf(key, known) ?? known.ids[n++ % known.ids.length]!)]),
  );
}

/** What a field holds in a valid request: the example's text, an id that exists in a path, else nothing. */
function validValueOf(route: RouteDefinition, known: Known, field: Field): string {
  const value = field.location === 'body' ? validBody(route, known)[field.name] : undefined;
  if (typeof value === 'string') return value;
  if (field.location === 'path') return pathFor({ ...route, path: `{${field.name}}` }, known);
  return '';
}

/** A valid request to the route (its example, ids that exist) with `field` set to `value`. */
function sendWith(route: RouteDefinition, known: Known, field: Field, value: unknown): Promise<ApiResponse> {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const path = pathFor({ ...route, path: field.location === 'path' ? route.path.replace(`{${field.name}}`, encode(text)) : route.path }, known);
  const query = field.location === 'query' ? `?${encode(field.name)}=${encode(text)}` : '';
  const example = validBody(route, known);
  const body = route.request.body === undefined ? undefined : field.location === 'body' ? { ...example, [field.name]: value } : example;
  return api.request(route.method, `${path}${query}`, {
    as: callerFor(route, known),
    rawBody: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
}

const describeSent = (field: Field, value: unknown, response: ApiResponse) =>
  `${field.location} ${field.name} = ${JSON.stringify(value)?.slice(0, 200)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;

/** A 400 Problem Details whose field errors name `field` (or a path inside it). */
function expectRefused(response: ApiResponse, field: Field, detail: string): void {
  expect(response.status, detail).toBe(400);
  expect(response.headers.get('content-type'), detail).toBe('application/problem+json');
  const named = (response.body.errors ?? []).some(
    (error: { location: string; field: string }) =>
      error.location === field.location && (error.field === field.name || error.field.startsWith(`${field.name}.`)),
  );
  expect(named, detail).toBe(true);
}

/** Every route with fields that match, and those fields. */
const routesWith = (predicate: (field: Field) => boolean) =>
  (Object.entries(routes) as Array<[string, RouteDefinition]>)
    .map(([name, route]) => [name, route, fieldsOfRoute(route).filter(predicate)] as [string, RouteDefinition, Field[]])
    .filter(([, , fields]) => fields.length > 0);

const isCursor = (field: Field) => field.location === 'query' && field.name === 'cursor';

/** The fields a response's field errors name. */
const namedIn = (response: ApiResponse): string[] => (response.body.errors ?? []).map((error: { field: string }) => error.field);

/** Every route whose example holds text fields that state a length, each with the longest text it takes. */
const routesWithLongestTexts = () =>
  (Object.entries(routes) as Array<[string, RouteDefinition]>)
    .map(([name, route]) => {
      const example = (route.example?.body ?? {}) as Record<string, unknown>;
      const texts = fieldsOfRoute(route).flatMap((field): Array<[Field, string]> => {
        const base = example[field.name];
        const text = field.location === 'body' && typeof base === 'string' ? longestAccepted(field, base) : undefined;
        return text === undefined ? [] : [[field, text]];
      });
      return [name, route, texts] as [string, RouteDefinition, Array<[Field, string]>];
    })
    .filter(([, , texts]) => texts.length > 0);

interface BadInputClass<T> {
  values: (field: Field, valid: string) => fc.Arbitrary<T>;
  numRuns: number;
  /** How a value reads in a failure's message. */
  shown?: (value: T) => unknown;
}

/**
 * Sends generated values of one class in each of the fields, one field at a time in an otherwise
 * valid request: each must be a 400 naming the field, and nothing is written.
 */
async function expectEachFieldRefuses<T>(route: RouteDefinition, fields: Field[], { values, numRuns, shown = (value) => value }: BadInputClass<T>) {
  // Prepare
  const known = await seed();
  const before = await rowCounts();

  for (const field of fields) {
    await fc.assert(
      fc.asyncProperty(values(field, validValueOf(route, known, field)), async (value) => {
        // Act
        const response = await sendWith(route, known, field, value);

        // Assess
        expectRefused(response, field, describeSent(field, shown(value), response));
      }),
      { numRuns },
    );
  }
  expect(await rowCounts()).toEqual(before);
}

const decodedCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8').slice(0, 200);

describe('generated bad input, one class at a time: a 400 naming the field, nothing written', () => {
  it.each(routesWith(isInstantField))(
    '%s: an instant outside 0100–9999 in UTC, or without a time zone',
    (_name, route, fields) =>
      expectEachFieldRefuses(route, fields, { values: () => fc.oneof(instantOutOfRange, instantMalformed), numRuns: RUNS_PER_INSTANT_FIELD }),
    120_000,
  );

  it.each(routesWith(() => true))(
    '%s: a NUL byte in any field',
    (_name, route, fields) => expectEachFieldRefuses(route, fields, { values: (_field, valid) => withNul(valid), numRuns: RUNS_PER_FIELD }),
    120_000,
  );

  it.each(routesWith(() => true))(
    '%s: a string longer than its field takes',
    (_name, route, fields) =>
      expectEachFieldRefuses(route, fields, {
        // URLs stay under what a server takes (four-byte characters are 12 once encoded); bodies
        // go well past the longest text field.
        values: (field, valid) => overLong(valid, maxCharsOf(field), field.location === 'body' ? 40_000 : 600),
        numRuns: RUNS_PER_FIELD,
        shown: (value) => `${value.slice(0, 40)}… (${[...value].length} characters)`,
      }),
    120_000,
  );

  it.each(routesWith(isCursor))(
    '%s: a forged cursor',
    (_name, route, fields) =>
      expectEachFieldRefuses(route, fields, { values: () => forgedCursor, numRuns: RUNS_PER_CURSOR, shown: (value) => `${value} = ${decodedCursor(value)}` }),
    120_000,
  );
});

describe('generated good input is not refused', () => {
  it.each(routesWith(isInstantField))(
    '%s: an instant in range, at any offset, is never the field refused',
    async (_name, route, fields) => {
      // Prepare
      const known = await seed();

      for (const field of fields) {
        await fc.assert(
          fc.asyncProperty(instantInRange, async (instant) => {
            // Act
            const response = await sendWith(route, known, field, instant);

            // Assess: anything but a 5xx or a complaint about this instant (a rule may refuse it: 422)
            const detail = describeSent(field, instant, response);
            expect(response.status, detail).toBeLessThan(500);
            expect(namedIn(response), detail).not.toContain(field.name);
          }),
          { numRuns: RUNS_PER_INSTANT_FIELD },
        );
      }
    },
    120_000,
  );

  // What the API takes, its columns hold: a text field's limit past its column's width would pass
  // validation and fail in Postgres (500).
  it.each(routesWithLongestTexts())(
    '%s: the longest text each field takes is never a 5xx nor refused for that field',
    async (_name, route, texts) => {
      // Prepare
      const known = await seed();

      for (const [field, text] of texts) {
        // Act
        const response = await sendWith(route, known, field, text);

        // Assess
        const detail = describeSent(field, `${text.slice(0, 40)}… (${text.length} characters)`, response);
        expect(response.status, detail).toBeLessThan(500);
        expect(namedIn(response), detail).not.toContain(field.name);
      }
    },
    120_000,
  );

  it.each(routesWith(isCursor))(
    '%s: a cursor of list keys in range is read when it is this list’s, else refused as a cursor',
    async (_name, route, fields) => {
      // Prepare
      const known = await seed();

      for (const cursor of fields) {
        await fc.assert(
          fc.asyncProperty(cursorOfListKeys, async (value) => {
            // Act
            const response = await sendWith(route, known, cursor, value);

            // Assess: read (200), or refused as a cursor, never a 5xx
            const detail = describeSent(cursor, decodedCursor(value), response);
            if (response.status !== 200) expectRefused(response, cursor, detail);
          }),
          { numRuns: RUNS_PER_CURSOR },
        );
      }
    },
    120_000,
  );
});
