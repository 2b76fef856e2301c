import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import FindMyWay from 'find-my-way';
import type { OpenApiDocument } from '../../shared/openapi/document';

/** The document's own id for Ajv, so that `#/components/...` references resolve inside it. */
const DOCUMENT_ID = 'https://api.tokenstocks.invalid/openapi.json';

export interface ReceivedResponse {
  method: string;
  /** As requested, query string included. */
  path: string;
  status: number;
  headers: Headers;
  /** Parsed when its content type is JSON, else the text. */
  body: unknown;
}

/** Which operation answered with which status: what the coverage check counts. */
export interface Exercised {
  operationId: string;
  status: number;
}

export interface ResponseCheck {
  /** Undefined when no operation has the method and path (the gateway's own 404). */
  exercised?: Exercised;
  /** What in the response the document does not describe; empty when it describes all of it. */
  errors: string[];
}

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> } | undefined>;
}

/** A JSON pointer to `parts`, as a URI fragment. */
const pointer = (parts: string[]) => parts.map((part) => encodeURIComponent(part.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

/** `application/json; charset=utf-8` → `application/json`. */
const mediaTypeOf = (headers: Headers) => headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? null;

/**
 * Checks received responses against an OpenAPI document: the status must be one the operation
 * documents, the content type one that status documents, and the body valid against its schema
 * (JSON Schema 2020-12, with formats). Made for the integration tests' API client, which checks
 * every response it receives (tests/support/api.ts).
 *
 * @example
 * const check = responseChecker(buildOpenApiDocument(routes));
 * check({ method: 'GET', path: '/api/health', status: 200, headers, body: { status: 'ok' } }).errors; // []
 */
export function responseChecker(document: OpenApiDocument): (response: ReceivedResponse) => ResponseCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document as object, DOCUMENT_ID);
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (parts: string[]) => {
    const ref = `${DOCUMENT_ID}#/${pointer(parts)}`;
    let validate = validators.get(ref);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: ref });
      validators.set(ref, validate);
    }
    return validate;
  };

  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 10_000 });
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      router.on(method.toUpperCase() as 'GET', path.replace(/\{(\w+)\}/g, ':$1'), () => {}, { path, method, operation });
    }
  }

  return (response) => {
    const match = router.find(response.method as 'GET', new URL(response.path, 'http://localhost').pathname);
    if (match === null) return { errors: [] };
    const { path, method, operation } = match.store as { path: string; method: string; operation: Operation };
    const exercised = { operationId: operation.operationId, status: response.status };
    const where = `${operation.operationId} (${response.method} ${response.path}) answered ${response.status}`;

    const documented = operation.responses[String(response.status)];
    if (documented === undefined) {
      return { exercised, errors: [`${where}, a status its document does not list (${Object.keys(operation.responses).join(', ')})`] };
    }
    const componentName = documented.$ref?.replace('#/components/responses/', '');
    const [location, content] =
      componentName === undefined
        ? [['paths', path, method, 'responses', String(response.status)], documented.content]
        : [['components', 'responses', componentName], (document.components.responses[componentName] as Operation['responses'][string])?.content];
    const mediaType = mediaTypeOf(response.headers);
    if (content === undefined) {
      const empty = response.body === '' || response.body === undefined;
      return { exercised, errors: empty ? [] : [`${where} with a body where its document says there is none`] };
    }
    if (mediaType === null || !(mediaType in content)) {
      return { exercised, errors: [`${where} as ${mediaType}, not as its document says: ${Object.keys(content).join(' or ')}`] };
    }
    const validate = validatorAt([...location, 'content', mediaType, 'schema']);
    if (validate(response.body)) return { exercised, errors: [] };
    const errors = (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message} ${JSON.stringify(error.params)}`);
    return { exercised, errors: [`${where} with a body its document's schema refuses:\n  ${errors.join('\n  ')}`] };
  };
}

/**
 * The documented success statuses (2xx) no recorded response exercised, as `operationId status`.
 *
 * @example unexercisedSuccesses(document, [{ operationId: 'getHealth', status: 200 }]) // ['getProject 200', …]
 */
export function unexercisedSuccesses(document: OpenApiDocument, exercised: readonly Exercised[]): string[] {
  const seen = new Set(exercised.map(({ operationId, status }) => `${operationId} ${status}`));
  const documented = Object.values(document.paths).flatMap((methods) =>
    Object.values(methods).flatMap((operation) => {
      const { operationId, responses } = operation as Operation;
      return Object.keys(responses)
        .filter((status) => status.startsWith('2'))
        .map((status) => `${operationId} ${status}`);
    }),
  );
  return documented.filter((key) => !seen.has(key));
}
