import { httpHandler, ok } from '../../shared/http/handler';
import { listNavHistory } from '../../shared/nav/queries';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.listNavHistory, async ({ db, path, query }) =>
  ok(await listNavHistory(db, path.projectId, query)),
);
