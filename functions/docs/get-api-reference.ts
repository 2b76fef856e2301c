import { httpHandler, text } from '../../shared/http/handler';
import { API_REFERENCE_HTML } from '../../shared/openapi/swagger-ui';
import { routes } from '../routes';

export const handler = httpHandler(routes.getApiReference, async () => text(API_REFERENCE_HTML, 'text/html; charset=utf-8'));
