import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { routes as routeTable } from '../../functions/routes';
import { createGateway, type GatewayOptions } from '../../local/gateway';
import { localIdentityProvider, type LocalIdentityProvider } from '../../local/jwt';
import { createLambdaRuntime, type LambdaRuntime } from '../../local/lambda/runtime';
import type { UserRole } from '../../shared/db/schema';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { responseChecker } from './response-check';

export interface TestUser {
  id: string;
  email: string;
  /** Whether the user's tokens say the identity provider verified the e-mail (default true). */
  emailVerified?: boolean;
  name: string;
  role: UserRole;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A response's body (any: tests read any field of it) when its status is `status`; otherwise fails, naming `what`, the status and the body. */
export function expectStatus(what: string, response: { status: number; body: unknown }, status: number): any {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface RequestOptions {
  as?: TestUser;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export const newUser = (role: UserRole, name: string = role): TestUser => {
  const id = randomUUID();
  return { id, email: `${name}-${id.slice(0, 8)}@example.com`, name, role };
};

/**
 * Starts the local gateway (the same one `npm start` serves, its routes' functions in the local
 * Lambda runtime) on a free port for the test file, and gives a client that signs tokens with
 * the local identity provider. Execution environments start on a route's first request and copy
 * the process's environment variables then, as a Lambda's are fixed when its environment starts.
 *
 * Every response is checked against the OpenAPI document of the routes served (status, content
 * type, body): one it does not describe fails the request, and so the test. Which operation
 * answered with which status is recorded for the run's coverage check (tests/setup/response-coverage.ts).
 */
export function useApi(options: Omit<GatewayOptions, 'identity' | 'runtime'> = {}) {
  const checkResponse = responseChecker(buildOpenApiDocument(options.routes ?? routeTable));
  const logDir = inject('responseLogDir');
  const logFile = logDir === undefined ? undefined : join(logDir, `${randomUUID()}.jsonl`);
  let identity: LocalIdentityProvider;
  let runtime: LambdaRuntime;
  let baseUrl = '';
  let keyDir = '';
  let close: () => Promise<void> = async () => {};
  const tokens = new Map<string, Promise<string>>();

  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'tokenstocks-keys-'));
    identity = await localIdentityProvider(keyDir);
    runtime = createLambdaRuntime();
    const server = createGateway({ ...options, identity, runtime });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    await runtime.stop();
    await rm(keyDir, { recursive: true, force: true });
  });

  const tokenFor = (user: TestUser) => {
    const emailVerified = user.emailVerified ?? true;
    const key = `${user.id}:${user.role}:${user.email}:${emailVerified}`;
    let token = tokens.get(key);
    if (token === undefined) {
      token = identity.sign({ sub: user.id, email: user.email, emailVerified, name: user.name, groups: user.role === 'admin' ? ['admin'] : [] });
      tokens.set(key, token);
    }
    return token;
  };

  async function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token ?? (options.as ? await tokenFor(options.as) : undefined);
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const received = {
      status: response.status,
      headers: response.headers,
      body: type.includes('json') && text !== '' ? JSON.parse(text) : text,
    };
    const { exercised, errors } = checkResponse({ method, path, ...received });
    if (logFile !== undefined && exercised !== undefined) appendFileSync(logFile, `${JSON.stringify(exercised)}\n`);
    if (errors.length > 0) throw new Error(`The response is not as the OpenAPI document says: ${errors.join('\n')}`);
    return received;
  }

  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    post: (path: string, body: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    tokenFor,
    /** Where the gateway listens, e.g. `http://127.0.0.1:41234` (set once the suite has started). */
    get baseUrl() {
      return baseUrl;
    },
    get identity() {
      return identity;
    },
    /** Where the routes' functions run (set once the suite has started). */
    get runtime() {
      return runtime;
    },
  };
}

export type Api = ReturnType<typeof useApi>;
