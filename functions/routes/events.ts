import { eventFeedPage, listEventsQuery } from '../../shared/events/schemas';
import { defineRoute } from '../../shared/http/route';

/**
 * Domain events (issue 12): the feed of every state change another system cares about, in
 * transaction order, the same events the stage's EventBridge bus carries. Admins only.
 */
export const eventRoutes = {
  listDomainEvents: defineRoute({
    method: 'GET',
    path: '/api/events',
    access: ['admin'],
    handler: 'functions/events/list-events.ts',
    summary: 'Domain events after a place in the feed, in transaction order, optionally of one type (docs/events/)',
    request: { query: listEventsQuery },
    response: { body: eventFeedPage },
    uses: ['database'],
  }),
};
