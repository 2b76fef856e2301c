import { httpHandler, ok } from '../../shared/http/handler';
import { verifyDatabase } from '../../shared/setup/verify-database';
import { routes } from '../routes';

export const handler = httpHandler(routes.verifyDatabase, async ({ db }) => ok(await verifyDatabase(db)));
