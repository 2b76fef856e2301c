import { created, httpHandler } from '../../shared/http/handler';
import { recordTreasuryTransaction } from '../../shared/treasury/record-transaction';
import { toTreasuryTransactionDto } from '../../shared/treasury/transaction';
import { routes } from '../routes';

export const handler = httpHandler(routes.recordTreasuryTransaction, async ({ db, caller, body }) =>
  created(toTreasuryTransactionDto(await recordTreasuryTransaction(db, caller, body))),
);
