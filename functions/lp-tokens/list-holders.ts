import { httpHandler, ok } from '../../shared/http/handler';
import { listHolders, toHoldersPageDto } from '../../shared/lp-tokens/list-holders';
import { routes } from '../routes';

export const handler = httpHandler(routes.listHolders, async ({ db, path, query }) =>
  ok(toHoldersPageDto(await listHolders(db, path.projectId, { ...query, asOf: query.as_of }))),
);
