import { created, httpHandler } from '../../shared/http/handler';
import { recordMovement, toMovementDto } from '../../shared/lp-tokens/record-movement';
import { routes } from '../routes';

export const handler = httpHandler(routes.recordLpTokenMovement, async ({ db, caller, path, body }) =>
  created(toMovementDto(await recordMovement(db, caller, path.projectId, body))),
);
