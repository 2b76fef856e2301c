import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { tokenizeCashflow } from '../../shared/cashflows/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { cashflowRoutes } from '../routes/cashflows';

export const handler = postHandler(cashflowRoutes.tokenizeCashflow, async ({ db, caller, path, body }) =>
  ok(toCashflowDto(await tokenizeCashflow(db, caller, path.id, body.chain_tx_hash))),
);
