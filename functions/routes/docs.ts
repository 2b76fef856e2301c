import * as z from '../../shared/zod';
import { defineRoute } from '../../shared/http/route';
import { openApiDocumentDto } from '../../shared/openapi/schemas';
import { apiReferenceAssetPath } from '../../shared/openapi/swagger-ui';

/** The API reference: the OpenAPI document and Swagger UI. */
export const docsRoutes = {
  getOpenApiDocument: defineRoute({
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    handler: 'functions/docs/get-openapi.ts',
    summary: 'This API as an OpenAPI 3.1 document, generated from this table',
    request: {},
    response: { body: openApiDocumentDto },
    uses: [],
  }),
  getApiReference: defineRoute({
    method: 'GET',
    path: '/api/docs',
    access: 'public',
    handler: 'functions/docs/get-api-reference.ts',
    summary: 'The API reference: Swagger UI over /api/openapi.json',
    request: {},
    response: { body: z.described(z.string(), 'The Swagger UI page'), contentTypes: ['text/html'] },
    uses: [],
  }),
  getApiReferenceAsset: defineRoute({
    method: 'GET',
    path: '/api/docs/{asset}',
    access: 'public',
    handler: 'functions/docs/get-api-reference-asset.ts',
    summary: "The reference page's stylesheet and script (Swagger UI)",
    request: { path: apiReferenceAssetPath },
    response: { body: z.described(z.string(), "Swagger UI's stylesheet or script"), contentTypes: ['text/css', 'text/javascript'] },
    uses: [],
    bundledFiles: { package: 'swagger-ui-dist', files: ['swagger-ui.css', 'swagger-ui-bundle.js'], dirEnv: 'SWAGGER_UI_DIR' },
  }),
};
