import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { routes } from '../functions/routes';
import { buildOpenApiDocument } from '../shared/openapi/document';
import { generateApiTypes } from '../shared/openapi/types';
import { packedJsonModule } from './packed-json';

/** `npm run openapi`: writes docs/openapi.json, docs/api-types.ts and the packed document GET /api/openapi.json serves, from the route table. */
export const OPENAPI_FILE = 'docs/openapi.json';
export const API_TYPES_FILE = 'docs/api-types.ts';
export const PACKED_OPENAPI_FILE = 'shared/openapi/document.packed.ts';

export const renderOpenApiJson = () => `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`;
export const renderApiTypes = () => generateApiTypes(buildOpenApiDocument(routes));
export const renderPackedOpenApi = () => packedJsonModule('OPENAPI_BROTLI_BASE64', buildOpenApiDocument(routes), 'npm run openapi');

if (import.meta.main ?? process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  await mkdir(join(root, 'docs'), { recursive: true });
  await writeFile(join(root, OPENAPI_FILE), renderOpenApiJson());
  await writeFile(join(root, API_TYPES_FILE), await renderApiTypes());
  await writeFile(join(root, PACKED_OPENAPI_FILE), renderPackedOpenApi());
  console.log(`Wrote ${OPENAPI_FILE}, ${API_TYPES_FILE} and ${PACKED_OPENAPI_FILE}`);
}
