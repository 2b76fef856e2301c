import { httpHandler, ok } from '../../shared/http/handler';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { routes } from '../routes';

// Built once per process: the table does not change while it runs.
const document = buildOpenApiDocument(routes);

export const handler = httpHandler(routes.getOpenApiDocument, async () => ok(document));
