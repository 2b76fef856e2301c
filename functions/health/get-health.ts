import { httpHandler, ok } from '../../shared/http/handler';
import { healthRoutes } from '../routes/health';

export const handler = httpHandler(healthRoutes.getHealth, async () => ok({ status: 'ok' }));
