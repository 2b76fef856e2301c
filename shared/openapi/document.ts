import * as z from '../zod';
import { proposalDto } from '../dual-control/schemas';
import { KEY_LIFETIME_SECONDS, MAX_IDEMPOTENCY_KEY_LENGTH } from '../http/idempotency-key';
import type { RouteDefinition } from '../http/route';

type JsonSchema = Record<string, unknown>;

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
};

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 Problem Details. `type` is a relative reference such as /problems/not-found.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description:
        'Validation errors: where each invalid value was and what is wrong with it. A 400, or a 422 when every one is an amount past the most its type holds, each naming that most as `limit`.',
      items: {
        type: 'object',
        properties: {
          location: { type: 'string', enum: ['body', 'query', 'path', 'header'] },
          field: { type: 'string' },
          message: { type: 'string' },
          limit: { type: 'string', description: 'The most the amount may be, as a decimal string (422 only).' },
        },
        required: ['location', 'field', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status'],
};

const GATEWAY_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    "What API Gateway answers by itself, before or instead of a route's function (no route, a refused token, " +
    'throttling, a body too large, a function that failed): one `message`, as application/json, never Problem Details.',
  properties: { message: { type: 'string' } },
  required: ['message'],
  additionalProperties: false,
};

/**
 * API Gateway's own answers, by status (local/gateway-answers.ts says where each comes from). 401
 * and 500 come from functions too, as Problem Details: their responses carry both.
 */
const GATEWAY = {
  401: { message: 'Unauthorized', when: 'no bearer token, or one the JWT authorizer refuses (expired, wrong signature, issuer or audience)' },
  413: { message: 'Request Entity Too Large', when: 'a body over 10 MB, or one that makes the function\'s event over 6 MB' },
  429: { message: 'Too Many Requests', when: "more requests to this route than the stage's rate and burst let through" },
  500: { message: 'Internal Server Error', when: 'the function failed, timed out or answered more than 6 MB' },
} as const;
type GatewayStatus = keyof typeof GATEWAY;

const gatewayContent = (status: GatewayStatus) => ({
  'application/json': { schema: { $ref: '#/components/schemas/GatewayError' }, example: { message: GATEWAY[status].message } },
});

/** The responses API Gateway alone answers with. */
const GATEWAY_ONLY = { 413: 'ContentTooLarge', 429: 'TooManyRequests' } as const;

/** The Problem Details responses, by status; `type` slugs as in shared/errors.ts. */
const PROBLEMS = {
  400: { name: 'BadRequest', slug: 'validation-error', title: 'Your request is not valid' },
  401: { name: 'Unauthorized', slug: 'unauthenticated', title: 'Authentication required' },
  403: { name: 'Forbidden', slug: 'forbidden', title: 'Not allowed' },
  404: { name: 'NotFound', slug: 'not-found', title: 'Not found' },
  409: { name: 'Conflict', slug: 'conflict', title: 'Conflict with the current state' },
  422: { name: 'UnprocessableContent', slug: 'rule-violation', title: 'The request breaks a business rule' },
  500: { name: 'InternalServerError', slug: null, title: 'Internal Server Error' },
  503: { name: 'ServiceUnavailable', slug: 'temporarily-unavailable', title: 'Temporarily unavailable' },
} as const;
type ProblemStatus = keyof typeof PROBLEMS;

/** The database is resuming from auto-pause: the problem says when to try again, and so does this header. */
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'string', pattern: '^[0-9]+$' } },
};

function problemResponses(): Record<string, unknown> {
  const problems = Object.entries(PROBLEMS).map(([status, { name, slug, title }]) => {
    const gateway = status in GATEWAY ? GATEWAY[Number(status) as GatewayStatus] : undefined;
    return [
      name,
      {
        description: gateway === undefined ? title : `${title}. From API Gateway (application/json): ${gateway.when}; from the function: Problem Details`,
        ...(status === '503' ? { headers: RETRY_AFTER } : {}),
        content: {
          ...(gateway === undefined ? {} : gatewayContent(Number(status) as GatewayStatus)),
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemDetails' },
            example: { type: slug === null ? 'about:blank' : `/problems/${slug}`, title, status: Number(status) },
          },
        },
      },
    ];
  });
  const gatewayOnly = Object.entries(GATEWAY_ONLY).map(([status, name]) => {
    const { message, when } = GATEWAY[Number(status) as GatewayStatus];
    return [name, { description: `${message}, from API Gateway: ${when}`, content: gatewayContent(Number(status) as GatewayStatus) }];
  });
  return Object.fromEntries([...problems, ...gatewayOnly]);
}

/** What API Gateway may answer for a route by itself, besides 401 and 500: 429 for any, 413 where a body is taken. */
const gatewayOnlyStatuses = (route: RouteDefinition): Array<keyof typeof GATEWAY_ONLY> =>
  route.request.body === undefined ? [429] : [413, 429];

const pascalCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * `json` with every `$ref` that starts with `from` starting with `to` instead: zod writes the
 * schemas a schema names (`.meta({ id })`) into `#/$defs/`, the document keeps them in
 * `#/components/schemas/` (and the type generator wants `#/definitions/`).
 */
export function movedRefs<T>(json: T, from: string, to: string): T {
  if (Array.isArray(json)) return json.map((item) => movedRefs(item, from, to)) as T;
  if (typeof json !== 'object' || json === null) return json;
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith(from) ? `${to}${value.slice(from.length)}` : movedRefs(value, from, to),
    ]),
  ) as T;
}

const toComponentRefs = <T>(json: T) => movedRefs(json, '#/$defs/', '#/components/schemas/');

function addComponent(schemas: Record<string, JsonSchema>, name: string, json: JsonSchema): void {
  const existing = schemas[name];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(json)) {
    throw new Error(`Two different schemas are named ${name}: give one another id`);
  }
  schemas[name] = json;
}

/**
 * A response body's schema, as the server writes it, as a reference to its component: the
 * schema's own id (`.meta({ id: 'Project' })`) or else `name`. The schemas it names are
 * components too, so each DTO is one type for consumers wherever it appears.
 */
function responseComponent(schema: z.ZodMiniType, name: string, schemas: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _dialect, $defs, ...json } = z.toJSONSchema(schema, { io: 'output', reused: 'inline' }) as JsonSchema;
  for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    addComponent(schemas, id, toComponentRefs(definition));
  }
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0] === '$ref') return toComponentRefs(json);
  addComponent(schemas, name, toComponentRefs(json));
  return componentRef(name);
}

/** A zod schema as JSON Schema, as the caller writes it (before transforms and defaults). */
function jsonSchemaOf(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** The statuses of the problems a route can answer with. */
function problemStatuses(route: RouteDefinition): ProblemStatus[] {
  const { path, query, body } = route.request;
  const statuses: ProblemStatus[] = [...(route.problems ?? [])];
  // POSTs may also be refused for a malformed Idempotency-Key header.
  if (path !== undefined || query !== undefined || body !== undefined || route.method === 'POST') statuses.push(400);
  if (route.access !== 'public') statuses.push(401, 403);
  if (path !== undefined) statuses.push(404);
  if (route.method !== 'GET' && route.access !== 'public') statuses.push(409, 422);
  statuses.push(500);
  if (route.uses.includes('database')) statuses.push(503);
  return [...new Set(statuses)].sort((a, b) => a - b);
}

function parameters(location: 'path' | 'query', json: JsonSchema | undefined) {
  if (json === undefined) return [];
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function operation(name: string, route: RouteDefinition, schemas: Record<string, JsonSchema>) {
  const { path, query, body } = route.request;
  const success = route.response.status ?? 200;
  const contentTypes = route.response.contentTypes ?? ['application/json'];
  const successSchema = responseComponent(route.response.body, `${pascalCase(name)}Response`, schemas);
  const idempotencyKey =
    route.method === 'POST' && route.access !== 'public'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              `Replays the first response for a repeated key (per caller and route) for ${KEY_LIFETIME_SECONDS / 3600} hours instead of acting twice; ` +
              'a 409 while the first is in progress, or when it was carried out but its response was not kept.',
            schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
          },
        ]
      : [];
  // Path and query schemas are listed too, unreferenced, so the generated types include them.
  const [pathJson, queryJson] = [path, query].map((schema) => (schema === undefined ? undefined : jsonSchemaOf(schema)));
  if (pathJson !== undefined) schemas[`${pascalCase(name)}Path`] = pathJson;
  if (queryJson !== undefined) schemas[`${pascalCase(name)}Query`] = queryJson;
  let requestBody: unknown;
  if (body !== undefined) {
    const schemaName = `${pascalCase(name)}Body`;
    schemas[schemaName] = jsonSchemaOf(body);
    requestBody = {
      required: !body.safeParse(undefined).success,
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${schemaName}` },
          ...(route.example === undefined ? {} : { example: route.example.body }),
        },
      },
    };
  }
  return {
    operationId: name,
    summary: route.summary,
    description: route.access === 'public' ? 'Public: no token needed.' : `For ${route.access.join(' or ')} users.`,
    tags: [tagOf(route.path)],
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: [...parameters('path', pathJson), ...parameters('query', queryJson), ...idempotencyKey],
    ...(requestBody === undefined ? {} : { requestBody }),
    responses: {
      [success]: {
        description: 'Success',
        content: Object.fromEntries(contentTypes.map((type) => [type, { schema: successSchema }])),
      },
      ...(route.dualControl === undefined
        ? {}
        : {
            202: {
              description: `${route.dualControl} waits for a second admin when dual control is on: the proposal, to approve at /api/proposals/{id}/approve`,
              content: { 'application/json': { schema: responseComponent(proposalDto, 'Proposal', schemas) } },
            },
          }),
      ...Object.fromEntries(
        problemStatuses(route).map((status) => [status, { $ref: `#/components/responses/${PROBLEMS[status].name}` }]),
      ),
      ...Object.fromEntries(gatewayOnlyStatuses(route).map((status) => [status, { $ref: `#/components/responses/${GATEWAY_ONLY[status]}` }])),
    },
  };
}

/** `/api/distributions/{id}` → `distributions`. */
const tagOf = (path: string) => path.split('/')[2] ?? 'api';

/**
 * The OpenAPI 3.1 document of a route table, from the same zod schemas the handlers validate
 * requests with: nothing in it is written by hand apart from the Problem Details shape.
 *
 * @example
 * const document = buildOpenApiDocument(routes);
 * document.paths['/api/projects/{id}'].get.operationId; // 'getProject'
 */
export function buildOpenApiDocument(routes: Readonly<Record<string, RouteDefinition>>): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { ProblemDetails: PROBLEM_SCHEMA, GatewayError: GATEWAY_ERROR_SCHEMA };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(routes)) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(name, route, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'TokenStocks capital engine',
      version: '0.1.0',
      description:
        'LP token holdings, distributions, the treasury pool and redemptions. Amounts are decimal strings, ' +
        'instants ISO 8601 with a time zone; errors are RFC 9457 Problem Details. Generated from functions/routes.ts. ' +
        'What API Gateway answers by itself is a GatewayError (`{"message": …}`, application/json) instead: ' +
        '404 Not Found for a method and path no operation here has, and on the operations 401 (no or a refused token), ' +
        '413 (a body too large), 429 (throttled) and 500 (the function failed).',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(Object.values(routes).map((route) => tagOf(route.path)))].map((tag) => ({ name: tag })),
    paths,
    components: {
      schemas,
      responses: problemResponses(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An ID token of the identity provider (Cognito).' },
      },
    },
  };
}
