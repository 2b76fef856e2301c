import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { tokenizeCashflow } from '../../shared/cashflows/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = postHandler(treasuryRoutes.tokenizeCashflow, async ({ db, caller, path, body }) =>
  ok(toCashflowDto(await tokenizeCashflow(db, caller, path.id, body.chain_tx_hash))),
);
