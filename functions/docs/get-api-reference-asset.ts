import { httpHandler, text } from '../../shared/http/handler';
import { readSwaggerUiAsset, SWAGGER_UI_ASSETS } from '../../shared/openapi/swagger-ui';
import { routes } from '../routes';

export const handler = httpHandler(routes.getApiReferenceAsset, async ({ path }) =>
  text(await readSwaggerUiAsset(path.asset), SWAGGER_UI_ASSETS[path.asset], { 'cache-control': 'public, max-age=86400' }),
);
