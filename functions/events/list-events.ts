import { readEventFeed } from '../../shared/events/feed';
import { httpHandler, ok } from '../../shared/http/handler';
import { eventRoutes } from '../routes/events';

export const handler = httpHandler(eventRoutes.listDomainEvents, async ({ db, query }) => ok(await readEventFeed(db, query)));
