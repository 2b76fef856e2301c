import { httpHandler, ok } from '../../shared/http/handler';
import { verifyDatabase } from '../../shared/setup/verify-database';
import { setupRoutes } from '../routes/setup';

export const handler = httpHandler(setupRoutes.verifyDatabase, async ({ db }) => ok(await verifyDatabase(db)));
