import { httpHandler, text } from '../../shared/http/handler';
import { API_REFERENCE_HTML } from '../../shared/openapi/swagger-ui';
import { docsRoutes } from '../routes/docs';

export const handler = httpHandler(docsRoutes.getApiReference, async () => text(API_REFERENCE_HTML, 'text/html; charset=utf-8'));
