import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { recordDomainEvent } from '../../shared/events/record-domain-event';
import { eventFeedPage } from '../../shared/events/schemas';
import { newUser, type TestUser, useApi } from '../support/api';
import { feedPage, readFeedUntil } from '../support/domain-events';
import { rowCounts } from '../support/fixtures';
import { forgedCursor } from '../support/input-arbitraries';

/**
 * Issue 12, item 1: GET /api/events serves the domain events in transaction order to a reader
 * that keeps its place, and never skips one, whenever its transaction commits.
 */
const api = useApi();

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Records a `distribution.failed` event in `trx` (any type would do), answering its id. */
async function recordIn(trx: Parameters<typeof recordDomainEvent>[0], reason = 'test'): Promise<string> {
  const id = randomUUID();
  const detail = await recordDomainEvent(trx, { type: 'distribution.failed', subjectId: id, detail: { project_id: randomUUID(), distribution_event_id: id, reason } });
  return detail.event_id;
}

const record = (reason?: string) => getDb().transaction().execute((trx) => recordIn(trx, reason));

/** An admin who has called once (their row exists), and where the feed ends now. */
async function caughtUpReader(): Promise<{ admin: TestUser; cursor: string | undefined }> {
  const admin = newUser('admin');
  const page = await feedPage(api, admin);
  return { admin, cursor: page.next_cursor ?? undefined };
}

describe('the event feed', () => {
  it('pages through the events in the order they were recorded, and answers where to go on from when caught up', async () => {
    // Prepare
    const { admin } = await caughtUpReader();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await record(`event ${i}`));

    // Act
    const first = await readFeedUntil(api, admin, 5);
    const pages = [];
    let cursor: string | undefined;
    for (let i = 0; i < 4; i++) {
      const page = await feedPage(api, admin, { limit: 2, ...(cursor === undefined ? {} : { after: cursor }) });
      pages.push(page);
      cursor = page.next_cursor ?? undefined;
    }

    // Assess
    expect(first.items.map((item) => item.id)).toEqual(ids);
    expect(first.items[0]).toEqual({
      id: ids[0],
      type: 'distribution.failed',
      subject_id: expect.any(String),
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      detail: expect.objectContaining({ event_id: ids[0], reason: 'event 0' }),
    });
    expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4), []]);
    for (const page of pages) expect(eventFeedPage.safeParse(page).error).toBeUndefined();
    // Caught up: the place stays where it was, never null
    expect(pages[3]?.next_cursor).toBe(pages[2]?.next_cursor);
    expect(pages[3]?.next_cursor).not.toBeNull();
  });

  it('serves one type when asked, from the same places', async () => {
    // Prepare
    const { admin, cursor } = await caughtUpReader();
    const failed = await record();
    const nav = await getDb().transaction().execute(async (trx) => {
      const id = randomUUID();
      const detail = await recordDomainEvent(trx, {
        type: 'nav.recorded',
        subjectId: id,
        detail: {
          project_id: randomUUID(),
          nav_entry_id: id,
          nav_per_token: '1.00000000',
          source: 'manual',
          effective_at: '2026-01-01T00:00:00.000Z',
          current_nav_per_token: '1.00000000',
          recorded_by: randomUUID(),
          approved_by: null,
        },
      });
      return detail.event_id;
    });

    // Act
    const all = await readFeedUntil(api, admin, 2, { after: cursor });
    const navOnly = await readFeedUntil(api, admin, 1, { after: cursor, type: 'nav.recorded' });

    // Assess
    expect(all.items.map((item) => item.id)).toEqual([failed, nav]);
    expect(navOnly.items.map((item) => item.id)).toEqual([nav]);
    expect(navOnly.cursor).toBe(all.cursor);
  });

  it('never skips an event whose transaction commits after a later one was read, where an id order would', async () => {
    // Prepare: a reader caught up; a transaction records A and stays open; another records B and commits
    const { admin, cursor } = await caughtUpReader();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let recordedA: (id: string) => void = () => {};
    const aRecorded = new Promise<string>((resolve) => (recordedA = resolve));
    const first = getDb()
      .transaction()
      .execute(async (trx) => {
        recordedA(await recordIn(trx, 'A'));
        await held;
      });
    const a = await aRecorded;
    const b = await record('B');

    // Act: a reader by sequence, and the feed, read while A's transaction is open; then it commits
    const bySequence = async (after: string) =>
      (await sql<{ id: string; seq: string }>`SELECT id::text AS id, seq::text AS seq FROM domain_events WHERE seq > ${after}::bigint ORDER BY seq`.execute(getDb())).rows;
    const sequenceRead = await bySequence('0');
    const whileOpen = await feedPage(api, admin, cursor === undefined ? {} : { after: cursor });
    release();
    await first;
    const sequenceReadAfter = await bySequence(sequenceRead.at(-1)?.seq ?? '0');
    const feedAfter = await readFeedUntil(api, admin, 2, { after: whileOpen.next_cursor ?? cursor });

    // Assess: the sequence reader saw B, then went on past A; the feed held both back, then served A, B
    expect(sequenceRead.map((row) => row.id)).toEqual([b]);
    expect(sequenceReadAfter).toEqual([]);
    expect(whileOpen.items).toEqual([]);
    expect(feedAfter.items.map((item) => item.id)).toEqual([a, b]);
  });

  it('holds back a later transaction’s events until an earlier one that is still open ends', async () => {
    // Prepare: the earlier transaction takes its id (a write) and stays open; a later one records and commits
    const { admin, cursor } = await caughtUpReader();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => {};
    const hasId = new Promise<void>((resolve) => (started = resolve));
    const earlier = getDb()
      .transaction()
      .execute(async (trx) => {
        await sql`SELECT pg_current_xact_id()`.execute(trx);
        started();
        await held;
        return recordIn(trx, 'earlier');
      });
    await hasId;
    const later = await record('later');

    // Act
    const whileOpen = await feedPage(api, admin, cursor === undefined ? {} : { after: cursor });
    release();
    const earlierId = await earlier;
    const afterwards = await readFeedUntil(api, admin, 2, { after: whileOpen.next_cursor ?? cursor });

    // Assess: in transaction order, the earlier transaction's event first, though it committed last
    expect(whileOpen.items).toEqual([]);
    expect(afterwards.items.map((item) => item.id)).toEqual([earlierId, later]);
  });

  it('serves a transaction’s events in number order where their text order differs (999999999 before 1000000000)', async () => {
    // Prepare: one transaction records A and B with the sequence numbers 999999999 and 1000000000
    const { admin, cursor } = await caughtUpReader();
    await sql`SELECT setval(pg_get_serial_sequence('domain_events', 'seq'), 999999998)`.execute(getDb());
    const [a, b] = await getDb()
      .transaction()
      .execute(async (trx) => [await recordIn(trx, 'A'), await recordIn(trx, 'B')]);

    // Act: in one page, and one event a page (each page goes on after the last one's place)
    const onePage = await readFeedUntil(api, admin, 2, { ...(cursor === undefined ? {} : { after: cursor }), timeoutMs: 5_000 });
    const oneByOne = await readFeedUntil(api, admin, 2, { ...(cursor === undefined ? {} : { after: cursor }), limit: 1, timeoutMs: 5_000 });

    // Assess
    const ids = (read: typeof onePage) => read.items.map((item) => item.id);
    expect({ onePage: ids(onePage), oneByOne: ids(oneByOne) }).toEqual({ onePage: [a, b], oneByOne: [a, b] });
  });

  it('serves transactions in number order where their ids’ text order differs (99 before 100)', async () => {
    // Prepare: A and B as if recorded by the transactions 99 and 100 (long ended: shown at once)
    const admin = newUser('admin');
    const [a, b] = [await record('A'), await record('B')];
    await sql`UPDATE domain_events SET xact_id = (CASE id WHEN ${a}::uuid THEN '99' ELSE '100' END)::xid8 WHERE id IN (${a}::uuid, ${b}::uuid)`.execute(getDb());
    const start = cursorOf({ xact_id: '0', seq: '0' });

    // Act
    const onePage = await feedPage(api, admin, { after: start });
    const oneByOne = await readFeedUntil(api, admin, 2, { after: start, limit: 1, timeoutMs: 1_000 });

    // Assess
    const ids = { onePage: onePage.items.map((item) => item.id), oneByOne: oneByOne.items.map((item) => item.id) };
    expect(ids).toEqual({ onePage: [a, b], oneByOne: [a, b] });
  });

  it('reads a place at the ends of its range', async () => {
    // Prepare
    const { admin } = await caughtUpReader();
    await record();

    // Act
    const fromStart = await readFeedUntil(api, admin, 1, { after: cursorOf({ xact_id: '0', seq: '0' }) });
    const pastEnd = await feedPage(api, admin, { after: cursorOf({ xact_id: '18446744073709551615', seq: '9223372036854775807' }) });

    // Assess
    expect(fromStart.items).toHaveLength(1);
    expect(pastEnd.items).toEqual([]);
  });

  it('refuses a place it did not issue, or a type it does not know, with a 400 naming the field, nothing written', async () => {
    // Prepare
    const admin = newUser('admin');
    await feedPage(api, admin);
    const before = await rowCounts();
    const refused = [
      { xact_id: '18446744073709551616', seq: '1' },
      { xact_id: '1', seq: '9223372036854775808' },
      { xact_id: '-1', seq: '1' },
      { xact_id: '01', seq: '1' },
      { xact_id: 1, seq: 1 },
      { xact_id: '1', seq: '1', x: 1 },
      { xact_id: '1' },
      { created_at: '2026-01-01T00:00:00.000000Z', id: randomUUID() },
    ].map(cursorOf);

    // Act
    const forged = [...refused, ...fc.sample(forgedCursor, 40)];
    const responses = await Promise.all(forged.map((after) => api.get(`/api/events?after=${encodeURIComponent(after)}`, { as: admin })));
    const badType = await api.get('/api/events?type=withdrawal.sent', { as: admin });

    // Assess
    for (const [index, response] of responses.entries()) {
      const detail = `${forged[index]}: ${JSON.stringify(response.body)}`;
      expect.soft(response.status, detail).toBe(400);
      expect.soft(response.headers.get('content-type'), detail).toBe('application/problem+json');
      expect.soft(response.body.errors, detail).toContainEqual(expect.objectContaining({ location: 'query', field: 'after' }));
    }
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toContainEqual(expect.objectContaining({ location: 'query', field: 'type' }));
    expect(await rowCounts()).toEqual(before);
  });
});
