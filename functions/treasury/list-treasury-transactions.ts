import { httpHandler, ok } from '../../shared/http/handler';
import { listTreasuryTransactions } from '../../shared/treasury/list-transactions';
import { routes } from '../routes';

export const handler = httpHandler(routes.listTreasuryTransactions, async ({ db, query }) =>
  ok(await listTreasuryTransactions(db, query)),
);
