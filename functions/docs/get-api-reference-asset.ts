import { httpHandler, text } from '../../shared/http/handler';
import { readSwaggerUiAsset, SWAGGER_UI_ASSETS } from '../../shared/openapi/swagger-ui';
import { docsRoutes } from '../routes/docs';

export const handler = httpHandler(docsRoutes.getApiReferenceAsset, async ({ path }) =>
  text(await readSwaggerUiAsset(path.asset), SWAGGER_UI_ASSETS[path.asset], { 'cache-control': 'public, max-age=86400' }),
);
