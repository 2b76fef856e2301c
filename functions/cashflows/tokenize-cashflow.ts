import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { tokenizeCashflow } from '../../shared/cashflows/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.tokenizeCashflow, async ({ db, caller, path, body }) =>
  ok(toCashflowDto(await tokenizeCashflow(db, caller, path.id, body.chain_tx_hash))),
);
