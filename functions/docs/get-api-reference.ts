import { publicHandler } from '../../shared/http/public-handler';
import { text } from '../../shared/http/responses';
import { API_REFERENCE_HTML } from '../../shared/openapi/swagger-ui';
import { docsRoutes } from '../routes/docs';

export const handler = publicHandler(docsRoutes.getApiReference, async () => text(API_REFERENCE_HTML, 'text/html; charset=utf-8'));
