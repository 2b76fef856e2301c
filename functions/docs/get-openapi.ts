import { httpHandler, ok } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { routes } from '../routes';
import { docsRoutes } from '../routes/docs';

// The one handler that reads the whole table. Built once per process: it does not change while it runs.
const document = buildOpenApiDocument(routes);

export const handler = httpHandler(docsRoutes.getOpenApiDocument, async () => ok(document));
