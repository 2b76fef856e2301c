import { httpHandler, ok } from '../../shared/http/handler';
import { listHolders, toHoldersPageDto } from '../../shared/lp-tokens/list-holders';
import { lpTokenRoutes } from '../routes/lp-tokens';

export const handler = httpHandler(lpTokenRoutes.listHolders, async ({ db, path, query }) =>
  ok(toHoldersPageDto(await listHolders(db, path.projectId, { ...query, asOf: query.as_of }))),
);
