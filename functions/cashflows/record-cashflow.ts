import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { recordCashflow } from '../../shared/cashflows/record-cashflow';
import { created, httpHandler } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.recordCashflow, async ({ db, caller, path, body }) =>
  created(toCashflowDto(await recordCashflow(db, caller, path.projectId, body))),
);
