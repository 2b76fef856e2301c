import { publicHandler } from '../../shared/http/public-handler';
import { ok } from '../../shared/http/responses';
import { healthRoutes } from '../routes/health';

export const handler = publicHandler(healthRoutes.getHealth, async () => ok({ status: 'ok' }));
