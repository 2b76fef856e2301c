import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { newUser, useApi } from '../support/api';
import { createDistribution, createProject, seedHolders } from '../support/fixtures';
import { captureOutput } from '../support/output';
import { useQueues } from '../support/queues';

// The functions' environment, copied when their execution environments start: emit metrics as
// on Lambda, and log everything, as a function deployed with POWERTOOLS_LOG_LEVEL=DEBUG.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

const api = useApi();
const queues = useQueues();

describe('operator signals', () => {
  it('logs JSON lines with the request id and caller, and never the bearer token', async () => {
    // Prepare
    const admin = newUser('admin');
    const lp = newUser('lp');
    const token = await api.tokenFor(admin);
    const output = captureOutput();

    // Act: a success and the error paths (validation, malformed JSON, not found, forbidden)
    const responses = [
      await api.post('/api/projects', { name: 'Observed' }, { as: admin, headers: { 'idempotency-key': 'observed-1' } }),
      await api.post('/api/projects', { name: '', secret_note: token }, { as: admin }),
      await api.request('POST', '/api/projects', { as: admin, rawBody: '{"name":', headers: { 'content-type': 'application/json' } }),
      await api.get(`/api/projects/${randomUUID()}`, { as: admin }),
      await api.post('/api/projects', { name: 'Not mine' }, { as: lp }),
    ];
    output.restore();

    // Assess
    expect(responses.map((response) => response.status)).toEqual([201, 400, 400, 404, 403]);
    const text = output.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]); // not even the signature
    expect(text.toLowerCase()).not.toContain('bearer ey');
    const lines = output.json().filter((line) => 'level' in line && 'message' in line);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      expect(line).toMatchObject({ service: expect.any(String), request_id: expect.any(String), caller_id: expect.any(String) });
      expect([admin.id, lp.id]).toContain(line.caller_id);
    }
    expect(new Set(lines.map((line) => line.request_id)).size).toBeGreaterThanOrEqual(4);
  });

  it('emits EMF metrics for a calculation: its duration, its holders and the queue message age', async () => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    await seedHolders(api, admin, projectId, ['1', '2']);
    const eventId = await createDistribution(api, admin, projectId);
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    const output = captureOutput();

    // Act
    await queues.drainCalculations();
    output.restore();

    // Assess
    const emf = output.json().filter((line) => line._aws?.CloudWatchMetrics?.[0]?.Namespace === 'TokenStocks');
    const values = (name: string) => emf.filter((line) => name in line).map((line) => line[name]);
    expect(values('CalculationDuration').flat()[0]).toBeGreaterThanOrEqual(0);
    expect(values('HoldersPerCalculation').flat()).toEqual([2]);
    expect(values('QueueMessageAge').flat().length).toBeGreaterThanOrEqual(1);
    expect(emf[0]).toMatchObject({ worker: 'calculate-allocations', service: expect.any(String) });
  });

  it("marks a function's first invocation in an environment as its cold start, and the next as warm", async () => {
    // Prepare: a function no test of this file has called, and requests it refuses (so that it logs)
    const admin = newUser('admin');
    const output = captureOutput();

    // Act
    await api.get('/api/wallets?wallet_role=none', { as: admin });
    await api.get('/api/wallets?wallet_role=none', { as: admin });
    output.restore();

    // Assess
    const requests = output.json().filter((line) => line.route === 'GET /api/wallets' && 'cold_start' in line);
    const coldByRequest = new Map(requests.map((line) => [line.request_id, line.cold_start]));
    expect([...coldByRequest.values()]).toEqual([true, false]);
  });
});
