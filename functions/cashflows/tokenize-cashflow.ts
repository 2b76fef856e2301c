import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { tokenizeCashflow } from '../../shared/cashflows/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.tokenizeCashflow, async ({ db, caller, path, body }) =>
  ok(toCashflowDto(await tokenizeCashflow(db, caller, path.id, body.chain_tx_hash))),
);
