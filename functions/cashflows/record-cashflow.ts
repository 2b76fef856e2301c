import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { recordCashflow } from '../../shared/cashflows/record-cashflow';
import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { cashflowRoutes } from '../routes/cashflows';

export const handler = postHandler(cashflowRoutes.recordCashflow, async ({ db, caller, path, body }) =>
  created(toCashflowDto(await recordCashflow(db, caller, path.projectId, body))),
);
