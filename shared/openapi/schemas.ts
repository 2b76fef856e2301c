import * as z from '../zod';

/** What `GET /api/openapi.json` answers (./document.ts), described as far as a reader relies on it. */
export const openApiDocumentDto = z.responseSchema(() =>
  z.withMeta(
    z.looseObject({
      openapi: z.literal('3.1.0'),
      info: z.looseObject({ title: z.string(), version: z.string(), description: z.string() }),
      paths: z.record(z.string(), z.record(z.string(), z.unknown())),
      components: z.looseObject({ schemas: z.record(z.string(), z.record(z.string(), z.unknown())) }),
    }),
    { id: 'OpenApiDocument' },
  ),
);
