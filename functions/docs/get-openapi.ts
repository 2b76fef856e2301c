import { publicHandler } from '../../shared/http/public-handler';
import { ok } from '../../shared/http/responses';
import { OPENAPI_BROTLI_BASE64 } from '../../shared/openapi/document.packed';
import type { OpenApiDocument } from '../../shared/openapi/document';
import { unpackedOnFirstUse } from '../../shared/packed-json';
import { docsRoutes } from '../routes/docs';

// The document `npm run openapi` generated from the route table (tests/unit/openapi.test.ts holds
// it to the table): built at build time, not from the table and every schema at each cold start.
const document = unpackedOnFirstUse<OpenApiDocument>(OPENAPI_BROTLI_BASE64);

export const handler = publicHandler(docsRoutes.getOpenApiDocument, async () => ok(await document()));
