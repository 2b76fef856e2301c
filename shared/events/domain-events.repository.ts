import { sql } from 'kysely';
import type { Db } from '../db/client';
import { afterKeyAscending, readByKey } from '../db/keyset';
import { NO_ROWS, readBound, width } from '../db/result-size';
import { jsonb, timestamptz, uuid } from '../db/sql-values';
import { DOMAIN_EVENT_DETAIL_MAX_CHARS, pick, tableWidths } from '../db/table-widths';
import type { FeedKey } from './feed-key';

export interface NewDomainEvent {
  id: string;
  type: string;
  subjectId: string;
  detail: Record<string, unknown>;
  occurredAt: Date;
}

/** Writes an event; call it with the transaction of the change it records. */
export async function insertDomainEvent(trx: Db, event: NewDomainEvent): Promise<void> {
  await trx
    .insertInto('domain_events')
    .values({
      id: uuid(event.id),
      type: event.type,
      subject_id: uuid(event.subjectId),
      detail: jsonb(event.detail, DOMAIN_EVENT_DETAIL_MAX_CHARS),
      occurred_at: timestamptz(event.occurredAt),
    })
    .execute();
}

/** An event as the feed reads it, with its place: the transaction's id and the sequence, as text. */
export interface FeedRow {
  id: string;
  type: string;
  subject_id: string;
  detail: unknown;
  xact_id: string;
  seq: string;
}

const feedRow = readBound({
  ...pick(tableWidths.domain_events, 'id', 'type', 'subject_id', 'detail'),
  xact_id: width.ascii(20, 'text'),
  seq: width.ascii(19, 'text'),
});

export const feedKeyOf = (row: FeedRow): FeedKey => ({ xact_id: row.xact_id, seq: row.seq });

/**
 * Events in transaction order (the recording transaction's id, then the order within it) after
 * `after`, optionally of one type, read in as many calls as the page needs.
 *
 * Only events whose transaction id is below the oldest transaction still running are read
 * (`pg_snapshot_xmin`): every transaction with a smaller id has ended, so none can commit an
 * event before this place later, and a reader who keeps its place never skips one. A `bigserial`
 * alone would not do: ids are taken at insert, not at commit, so a reader could pass the id of an
 * event whose transaction commits after a later one.
 */
export function readFeed(db: Db, filter: { type?: string }, page: { after?: FeedKey; limit: number }) {
  return readByKey(page, feedRow.rowsPerCall, feedKeyOf, (after, limit) => {
    let query = db
      .selectFrom('domain_events')
      .select(['id', 'type', 'subject_id', 'detail'])
      .select([sql<string>`xact_id::text`.as('xact_id'), sql<string>`seq::text`.as('seq')])
      .where(sql<boolean>`xact_id < pg_snapshot_xmin(pg_current_snapshot())`);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (after !== undefined) {
      query = query.where(afterKeyAscending(['xact_id', 'seq'], [sql`cast(${after.xact_id} as xid8)`, sql`cast(${after.seq} as bigint)`]));
    }
    // Qualified: a bare name in ORDER BY means the output column first, here the text, whose order
    // differs from the numbers' ('1000000000' < '999999999') and would skip events.
    return query.orderBy('domain_events.xact_id').orderBy('domain_events.seq').limit(limit).execute() as Promise<FeedRow[]>;
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertDomainEvent: NO_ROWS,
  readFeed: feedRow,
};
