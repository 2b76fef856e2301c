import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import type { RouteDefinition } from '../../shared/http/route';
import { buildOpenApiDocument } from '../../shared/openapi/document';
import { useApi } from '../support/api';

const api = useApi();
const CHROMIUM = '/usr/bin/chromium';

/** The DOM of a page after its scripts ran, from headless Chromium (no browser automation library). */
async function renderedDom(url: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'tokenstocks-chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=10000',
        '--dump-dom',
        url,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

describe('the API reference', () => {
  it('serves the generated OpenAPI document', async () => {
    const response = await api.get('/api/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(routes))));
  });

  it('serves Swagger UI from the installed package, not a CDN', async () => {
    const page = await api.get('/api/docs');
    const script = await api.get('/api/docs/swagger-ui-bundle.js');
    const unknown = await api.get('/api/docs/index.html');

    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.body).toContain('SwaggerUIBundle');
    expect(unknown.status).toBe(400);
  });

  const noChromium = !existsSync(CHROMIUM);
  const title = noChromium
    ? `renders every route in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install chromium)`
    : 'renders every route in headless Chromium';
  it.skipIf(noChromium)(title, { timeout: 90_000 }, async () => {
    const dom = await renderedDom(`${api.baseUrl}/api/docs`);

    const shown = new Set([...dom.matchAll(/data-path="([^"]+)"/g)].map((match) => match[1]));
    for (const route of Object.values(routes) as RouteDefinition[]) expect(shown, route.path).toContain(route.path);
  });
});
