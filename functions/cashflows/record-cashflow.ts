import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { recordCashflow } from '../../shared/cashflows/record-cashflow';
import { created, httpHandler } from '../../shared/http/handler';
import { treasuryRoutes } from '../routes/treasury';

export const handler = httpHandler(treasuryRoutes.recordCashflow, async ({ db, caller, path, body }) =>
  created(toCashflowDto(await recordCashflow(db, caller, path.projectId, body))),
);
