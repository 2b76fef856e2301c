/**
 * JSON a handler carries brotli-compressed (base64), unpacked on first use: a generated document
 * that only some requests read (the OpenAPI document, the schema manifest) then weighs a fraction
 * of its size in the bundle every cold start loads. local/packed-json.ts writes the modules; a
 * test holds each to the JSON it packs.
 *
 * @example
 * const document = unpackedOnFirstUse<OpenApiDocument>(OPENAPI_BROTLI_BASE64);
 * ok(await document())
 */
export function unpackedOnFirstUse<T>(packed: string): () => Promise<T> {
  let unpacked: Promise<T> | undefined;
  return () =>
    (unpacked ??= import('node:zlib').then(
      ({ brotliDecompressSync }) => JSON.parse(brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8')) as T,
    ));
}
