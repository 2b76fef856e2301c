import { httpHandler, ok } from '../../shared/http/handler';
import { listTreasuryTransactions } from '../../shared/treasury/list-transactions';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.listTreasuryTransactions, async ({ db, query }) =>
  ok(await listTreasuryTransactions(db, query)),
);
