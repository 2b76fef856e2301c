import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from '../zod';

/** The Swagger UI files the reference page loads, with their content types. */
export const SWAGGER_UI_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;
export type SwaggerUiAsset = keyof typeof SWAGGER_UI_ASSETS;

export const apiReferenceAssetPath = z.object({
  asset: z.enum(Object.keys(SWAGGER_UI_ASSETS) as [SwaggerUiAsset, ...SwaggerUiAsset[]]),
});

/**
 * Where swagger-ui-dist's files are: SWAGGER_UI_DIR when the deployment copies them next to the
 * bundle (a Lambda bundle has no node_modules), else the installed package.
 */
function swaggerUiDir(): string {
  return process.env.SWAGGER_UI_DIR ?? dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const cache = new Map<SwaggerUiAsset, Promise<string>>();

/** One Swagger UI file's text, read once per process. */
export function readSwaggerUiAsset(asset: SwaggerUiAsset): Promise<string> {
  let text = cache.get(asset);
  if (text === undefined) {
    text = readFile(join(swaggerUiDir(), asset), 'utf8');
    cache.set(asset, text);
  }
  return text;
}

/**
 * The reference page. Every URL is relative so the page works under any stage or prefix:
 * /api/docs loads docs/<asset> and the document at openapi.json, both under /api/.
 */
export const API_REFERENCE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>TokenStocks capital engine API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });
  </script>
</body>
</html>
`;
