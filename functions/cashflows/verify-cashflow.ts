import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { verifyCashflow } from '../../shared/cashflows/transitions';
import { ok } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { cashflowRoutes } from '../routes/cashflows';

export const handler = postHandler(cashflowRoutes.verifyCashflow, async ({ db, caller, path }) =>
  ok(toCashflowDto(await verifyCashflow(db, caller, path.id))),
);
