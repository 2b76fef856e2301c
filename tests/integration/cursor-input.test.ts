import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../shared/http/route';
import { listRoutes, pathFor, seedKnownIds } from '../support/list-routes';
import { useApi } from '../support/api';
import { rowCounts } from '../support/fixtures';

const api = useApi();

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const SOME_ID = '5f0c8a52-3c1e-4a4e-9a55-0e9a3f1f2b11';

/**
 * Every key a list's cursor holds, by name: whichever the route uses, a cursor carrying one of
 * these wrong, or a key the route does not use, is refused.
 */
const keysWith = (instant: string, id = SOME_ID) => ({
  created_at: instant,
  distribution_date: instant,
  effective_at: instant,
  id,
  holder_id: id,
});

const forgedCursors: Array<{ case: string; cursor: string }> = [
  // Issue 11: these reached Postgres in a cast and answered 500.
  { case: 'instants in year 0000', cursor: cursorOf(keysWith('0000-01-01T00:00:00.000000Z')) },
  { case: 'instants a day before year 0100', cursor: cursorOf(keysWith('0099-12-31T00:00:00.000000Z')) },
  { case: 'instants in a five-digit year', cursor: cursorOf(keysWith('10000-01-01T00:00:00.000000Z')) },
  { case: 'instants with an offset', cursor: cursorOf(keysWith('2026-01-01T00:00:00.000000+20:00')) },
  { case: 'instants in milliseconds', cursor: cursorOf(keysWith('2026-01-01T00:00:00.000Z')) },
  { case: 'ids not UUIDs', cursor: cursorOf(keysWith('2026-01-01T00:00:00.000000Z', 'x')) },
  { case: 'a NUL byte in a key', cursor: cursorOf(keysWith('2026-01-01T00:00:00.000000Z\u0000')) },
  { case: 'a creation key with one more key', cursor: cursorOf({ created_at: '2026-01-01T00:00:00.000000Z', id: SOME_ID, x: 1 }) },
  { case: 'a holder key with one more key', cursor: cursorOf({ holder_id: SOME_ID, x: 1 }) },
  { case: 'an empty object', cursor: cursorOf({}) },
  { case: 'an array', cursor: cursorOf([SOME_ID]) },
  { case: 'null', cursor: cursorOf(null) },
  { case: 'a number', cursor: cursorOf(1) },
  { case: 'not JSON', cursor: Buffer.from('{"holder_id":').toString('base64url') },
  { case: 'not base64url', cursor: 'a+b/c=' },
  { case: 'over 512 characters', cursor: 'A'.repeat(513) },
];

/** The keys a list's cursor may hold, at the edges of the instants and ids it takes. */
const edgeKeys = (instant: string, id: string) => [
  { created_at: instant, id },
  { distribution_date: instant, id },
  { effective_at: instant, created_at: instant, id },
  { holder_id: id },
];
const edgeCursors = [
  ...edgeKeys('0100-01-01T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000'),
  ...edgeKeys('9999-12-31T23:59:59.999999Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
].map(cursorOf);

describe('cursors on every list route', () => {
  it.each(listRoutes())('%s: a forged cursor → 400 naming cursor, nothing written', async (_name, route: RouteDefinition) => {
    // Prepare
    const known = await seedKnownIds(api);
    const before = await rowCounts();

    for (const forged of forgedCursors) {
      // Act
      const response = await api.get(`${pathFor(route, known)}?cursor=${encodeURIComponent(forged.cursor)}`, { as: known.admin });

      // Assess
      const detail = `${forged.case}: ${JSON.stringify(response.body).slice(0, 300)}`;
      expect.soft(response.status, detail).toBe(400);
      expect.soft(response.headers.get('content-type'), detail).toBe('application/problem+json');
      expect.soft(response.body.errors, detail).toContainEqual(expect.objectContaining({ location: 'query', field: 'cursor' }));
    }
    expect(await rowCounts()).toEqual(before);
  });

  it.each(listRoutes())('%s: a cursor of its own keys at the edges of the range is read', async (_name, route: RouteDefinition) => {
    // Prepare
    const known = await seedKnownIds(api);

    // Act
    const responses = await Promise.all(
      edgeCursors.map((cursor) => api.get(`${pathFor(route, known)}?cursor=${cursor}`, { as: known.admin })),
    );

    // Assess: the route's own key is read at both edges; the others are refused as cursors
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200), JSON.stringify(statuses)).toHaveLength(2);
    for (const response of responses.filter((r) => r.status !== 200)) {
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'cursor' }));
    }
  });

  it('finds the list routes in the route table', () => {
    expect(listRoutes().map(([name]) => name)).toEqual(expect.arrayContaining(['listWithdrawals', 'listNavHistory', 'listHolders', 'exportDistributionAllocations']));
    expect(listRoutes().length).toBeGreaterThanOrEqual(14);
  });
});
