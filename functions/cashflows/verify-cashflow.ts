import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { verifyCashflow } from '../../shared/cashflows/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.verifyCashflow, async ({ db, caller, path }) =>
  ok(toCashflowDto(await verifyCashflow(db, caller, path.id))),
);
