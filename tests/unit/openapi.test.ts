import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { API_TYPES_FILE, OPENAPI_FILE, renderApiTypes, renderOpenApiJson } from '../../local/openapi';
import type { RouteDefinition } from '../../shared/http/route';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { OPENAPI_BROTLI_BASE64 } from '../../shared/openapi/document.packed';
import { unpackedOnFirstUse } from '../../shared/packed-json';

const ROOT = join(import.meta.dirname, '../..');
const entries = Object.entries(routes) as [string, RouteDefinition][];
const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
const document = buildOpenApiDocument(routes);

describe('the route table describes every request', () => {
  it.each(entries.filter(([, route]) => pathParamsOf(route.path).length > 0))(
    '%s has a path schema with exactly its path parameters',
    (_name, route) => {
      const params = (document.paths[route.path]?.[route.method.toLowerCase()] as { parameters: { in: string; name: string }[] }).parameters;
      expect(route.request.path).toBeDefined();
      expect(params.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(pathParamsOf(route.path).sort());
    },
  );

  it.each(entries.filter(([, route]) => pathParamsOf(route.path).length === 0))('%s has no path schema', (_name, route) => {
    expect(route.request.path).toBeUndefined();
  });

  it.each(entries.filter(([, route]) => route.method !== 'GET'))('%s (%s) has a body schema and a valid example', (_name, route) => {
    expect(route.request.body).toBeDefined();
    expect(route.example).toBeDefined();
    expect(route.request.body?.safeParse(route.example?.body).error).toBeUndefined();
  });

  it.each(entries.filter(([, route]) => route.method === 'GET'))('%s (GET) takes no body', (_name, route) => {
    expect(route.request.body).toBeUndefined();
    expect(route.example).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('has one operation per route, secured unless public, with Problem Details for its errors', () => {
    for (const [name, route] of entries) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Record<string, any>;
      expect(operation.operationId).toBe(name);
      const statuses = Object.keys(operation.responses);
      if (route.access === 'public') {
        expect(operation.security).toEqual([]);
        expect(statuses).not.toContain('401');
      } else {
        expect(operation.security).toBeUndefined(); // the document-wide bearer JWT
        expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
      }
      expect(statuses).toContain(String(route.response.status ?? 200));
      expect(statuses).toContain('500');
    }
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('says 201 for creates and 202 for work that continues asynchronously', () => {
    expect(Object.keys(document.paths['/api/projects']?.post as object)).toContain('responses');
    expect((document.paths['/api/projects']?.post as any).responses['201']).toBeDefined();
    expect((document.paths['/api/distributions/{id}/calculate']?.post as any).responses['202']).toBeDefined();
    expect((document.paths['/api/redemptions']?.post as any).responses['202']).toBeDefined();
  });

  it.each(entries)('%s documents the schema of each success, for each of its content types', (_name, route) => {
    const { responses } = document.paths[route.path]?.[route.method.toLowerCase()] as { responses: Record<string, any> };
    const success = responses[String(route.response.status ?? 200)];
    const componentOf = (schema: { $ref: string }) => document.components.schemas[schema.$ref.replace('#/components/schemas/', '')];

    expect(Object.keys(responses).filter((status) => status.startsWith('2'))).toEqual(
      [String(route.response.status ?? 200), ...(route.dualControl === undefined ? [] : ['202'])].sort(),
    );
    expect(Object.keys(success.content)).toEqual(route.response.contentTypes ?? ['application/json']);
    for (const { schema } of Object.values(success.content) as { schema: { $ref: string } }[]) {
      // An object or a string, or one of several objects (a view per caller).
      const component = componentOf(schema) as { type?: string; anyOf?: { $ref: string }[] };
      const alternatives = component.anyOf?.map(componentOf) ?? [component];
      for (const alternative of alternatives) expect(alternative, schema.$ref).toMatchObject({ type: expect.stringMatching(/^(object|string)$/) });
    }
    if (route.dualControl !== undefined) {
      expect(responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Proposal' });
    }
  });

  it('writes no amount as a JSON number: the only numbers a response carries are integers (counts)', () => {
    const numbers: string[] = [];
    const visit = (json: unknown, at: string) => {
      if (typeof json !== 'object' || json === null) return;
      if ([(json as { type?: unknown }).type].flat().includes('number')) numbers.push(at);
      for (const [key, value] of Object.entries(json)) visit(value, `${at}/${key}`);
    };
    const requestSchema = /(Body|Query|Path)$/;
    for (const [name, schema] of Object.entries(document.components.schemas)) if (!requestSchema.test(name)) visit(schema, name);

    expect(numbers).toEqual([]);
  });

  it('documents 503 with Retry-After for every route that reads the database', () => {
    for (const [name, route] of entries) {
      const { responses } = document.paths[route.path]?.[route.method.toLowerCase()] as { responses: Record<string, { $ref: string }> };
      expect(responses['503']?.$ref, name).toBe(route.uses.includes('database') ? '#/components/responses/ServiceUnavailable' : undefined);
    }
    expect(document.components.responses.ServiceUnavailable).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });

  it('documents the payment file as CSV with its header and line shape', () => {
    const csv = (document.paths['/api/distributions/{id}/allocations.csv']?.get as any).responses['200'].content['text/csv'].schema;
    const schema = document.components.schemas[csv.$ref.replace('#/components/schemas/', '')] as { pattern: string; example: string };

    expect(new RegExp(schema.pattern).test(schema.example)).toBe(true);
    expect(schema.example).toMatch(/^holder_id,email,tokens,percentage,allocated,withdrawn,pending,available\r\n/);
  });

  it("documents API Gateway's own answers as GatewayError {message}, apart from the functions' Problem Details", () => {
    // Prepare
    const { responses, schemas } = document.components as { responses: Record<string, any>; schemas: Record<string, any> };
    const resolved = (response: { $ref: string }) => responses[response.$ref.replace('#/components/responses/', '')];
    const gatewayError = { schema: { $ref: '#/components/schemas/GatewayError' } };

    // Assess
    expect(schemas.GatewayError).toMatchObject({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] });
    for (const [name, route] of entries) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Record<string, any>;
      const byStatus = (status: number) => (operation.responses[status] === undefined ? undefined : resolved(operation.responses[status]));
      expect(byStatus(429)?.content, name).toEqual({ 'application/json': { ...gatewayError, example: { message: 'Too Many Requests' } } });
      expect(byStatus(500)?.content, name).toMatchObject({ 'application/json': gatewayError, 'application/problem+json': expect.anything() });
      if (route.request.body === undefined) expect(byStatus(413), name).toBeUndefined();
      else expect(byStatus(413)?.content, name).toEqual({ 'application/json': { ...gatewayError, example: { message: 'Request Entity Too Large' } } });
      if (route.access !== 'public') {
        expect(byStatus(401)?.content, name).toMatchObject({
          'application/json': { ...gatewayError, example: { message: 'Unauthorized' } },
          'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
        });
      }
    }
    expect(document.info.description).toContain('404 Not Found');
  });

  it('is the committed docs/openapi.json, and docs/api-types.ts is generated from it (run `npm run openapi`)', async () => {
    expect(await readFile(join(ROOT, OPENAPI_FILE), 'utf8')).toBe(renderOpenApiJson());
    expect(await readFile(join(ROOT, API_TYPES_FILE), 'utf8')).toBe(await renderApiTypes());
  });

  it('is what GET /api/openapi.json serves, packed (run `npm run openapi`)', async () => {
    const served = unpackedOnFirstUse(OPENAPI_BROTLI_BASE64);
    expect(await served()).toEqual(JSON.parse(renderOpenApiJson()));
  });
});
