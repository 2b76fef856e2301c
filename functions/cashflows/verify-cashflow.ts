import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { verifyCashflow } from '../../shared/cashflows/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = postHandler(treasuryRoutes.verifyCashflow, async ({ db, caller, path }) =>
  ok(toCashflowDto(await verifyCashflow(db, caller, path.id))),
);
