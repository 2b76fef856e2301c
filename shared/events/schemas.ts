import * as z from '../zod';
import { cursorField, idText, instantText, MAX_PAGE_LIMIT } from '../http/schemas';
import { DOMAIN_EVENT_TYPES, DOMAIN_EVENTS } from './catalog';

/** `GET /api/events?after=&type=&limit=`: where the reader left off, one type or all. */
export const listEventsQuery = z.strictObject({
  after: z.described(z.optional(cursorField), 'The `next_cursor` of the page before: events after it. Absent: from the first event.'),
  type: z.described(z.optional(z.enum(DOMAIN_EVENT_TYPES)), 'Only events of this type'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE_LIMIT)), 100),
});
export type ListEventsQuery = z.output<typeof listEventsQuery>;

/** One event of the feed, its detail as its type's schema states it (every type's: ./catalog.ts). */
export const feedItem = z.responseSchema(() =>
  z.withMeta(
    z.discriminatedUnion(
      'type',
      DOMAIN_EVENT_TYPES.map((type) =>
        z.strictObject({
          id: idText,
          type: z.literal(type),
          subject_id: idText,
          occurred_at: instantText,
          detail: DOMAIN_EVENTS[type].detail,
        }),
      ) as unknown as [z.ZodMiniObject<{ type: z.ZodMiniLiteral<string> }>, ...z.ZodMiniObject<{ type: z.ZodMiniLiteral<string> }>[]],
    ),
    { id: 'DomainEvent' },
  ),
);
export type FeedItem = z.output<typeof feedItem>;

/**
 * A page of the feed (200). Unlike other lists, `next_cursor` is where to read from next even
 * when the page is short: save it and pass it as `after`; it is null only while nothing has been
 * read yet. A page shorter than `limit` means the reader has caught up, for now.
 */
export const eventFeedPage = z.responseSchema(() =>
  z.strictObject({
    items: z.array(feedItem),
    next_cursor: z.described(z.nullable(z.string()), 'Where to go on from: pass it back as `after`; null only before anything has been read'),
  }),
);
export type EventFeedPage = z.output<typeof eventFeedPage>;
