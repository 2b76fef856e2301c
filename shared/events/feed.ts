import type { Db } from '../db/client';
import { decodeCursor, encodeCursor, PAGE_MAX_BYTES, responseBytesOf } from '../http/cursor';
import { type FeedRow, feedKeyOf, readFeed } from './domain-events.repository';
import { feedKey } from './feed-key';
import type { EventFeedPage, FeedItem, ListEventsQuery } from './schemas';
import { jsonColumnValue } from '../db/json-columns';

/** A stored event as the feed serves it; its detail was checked against its type's schema when it was recorded. */
function toFeedItem(row: FeedRow): FeedItem {
  const detail = jsonColumnValue(row.detail) as Record<string, unknown>;
  return { id: row.id, type: row.type, subject_id: row.subject_id, occurred_at: String(detail.occurred_at), detail } as FeedItem;
}

/**
 * The event feed after a reader's place, in transaction order (domain-events.repository.ts says
 * why no event is ever skipped), up to `limit` events or what a response holds. The cursor it
 * answers is always where to go on from: the last event's place, or the one it was given.
 */
export async function readEventFeed(db: Db, query: ListEventsQuery): Promise<EventFeedPage> {
  const after = decodeCursor(query.after, feedKey, 'after');
  const items: FeedItem[] = [];
  let bytes = 0;
  let last = after;
  for await (const row of readFeed(db, { type: query.type }, { after, limit: query.limit })) {
    const item = toFeedItem(row);
    bytes += responseBytesOf(item);
    if (items.length > 0 && bytes > PAGE_MAX_BYTES) break;
    items.push(item);
    last = feedKeyOf(row);
  }
  return { items, next_cursor: last === undefined ? null : encodeCursor(last) };
}
