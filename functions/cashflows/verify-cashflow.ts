import { toCashflowDto } from '../../shared/cashflows/cashflow';
import { verifyCashflow } from '../../shared/cashflows/transitions';
import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.verifyCashflow, async ({ db, caller, path }) =>
  ok(toCashflowDto(await verifyCashflow(db, caller, path.id))),
);
