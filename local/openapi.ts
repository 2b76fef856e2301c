import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { routes } from '../functions/routes';
import { buildOpenApiDocument } from '../shared/openapi/document';
import { generateApiTypes } from '../shared/openapi/types';

/** `npm run openapi`: writes docs/openapi.json and docs/api-types.ts from the route table. */
export const OPENAPI_FILE = 'docs/openapi.json';
export const API_TYPES_FILE = 'docs/api-types.ts';

export const renderOpenApiJson = () => `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`;
export const renderApiTypes = () => generateApiTypes(buildOpenApiDocument(routes));

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  await mkdir(join(root, 'docs'), { recursive: true });
  await writeFile(join(root, OPENAPI_FILE), renderOpenApiJson());
  await writeFile(join(root, API_TYPES_FILE), await renderApiTypes());
  console.log(`Wrote ${OPENAPI_FILE} and ${API_TYPES_FILE}`);
}
