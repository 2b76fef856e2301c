import { httpHandler, ok } from '../../shared/http/handler';
import { routes } from '../routes';

export const handler = httpHandler(routes.getHealth, async () => ok({ status: 'ok' }));
