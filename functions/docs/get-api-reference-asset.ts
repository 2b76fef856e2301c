import { publicHandler } from '../../shared/http/public-handler';
import { text } from '../../shared/http/responses';
import { readSwaggerUiAsset, SWAGGER_UI_ASSETS } from '../../shared/openapi/swagger-ui';
import { docsRoutes } from '../routes/docs';

export const handler = publicHandler(docsRoutes.getApiReferenceAsset, async ({ path }) =>
  text(await readSwaggerUiAsset(path.asset), SWAGGER_UI_ASSETS[path.asset], { 'cache-control': 'public, max-age=86400' }),
);
