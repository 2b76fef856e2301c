import { describe, expect, it } from 'vitest';
import { newUser, useApi } from '../support/api';
import { createProject, rowCounts } from '../support/fixtures';
import { allPages, auditRows, cashflowIn, recordCashflow } from '../support/treasury-api';

const api = useApi();

const verify = (id: string, as: ReturnType<typeof newUser>) => api.post(`/api/cashflows/${id}/verify`, undefined, { as });
const tokenize = (id: string, as: ReturnType<typeof newUser>) =>
  api.post(`/api/cashflows/${id}/tokenize`, { chain_tx_hash: '0x5eed' }, { as });

describe('project cashflows', () => {
  it('are recorded, verified by another admin and tokenized, each step audited', async () => {
    // Prepare
    const recorder = newUser('admin', 'recorder');
    const verifier = newUser('admin', 'verifier');
    const projectId = await createProject(api, recorder);

    // Act
    const recorded = await api.post(
      `/api/projects/${projectId}/cashflows`,
      { amount_ngnts: '1250000.5', source: 'March PPA invoice', source_document_url: 'https://docs.example.com/ppa-03.pdf' },
      { as: recorder },
    );
    const verified = await verify(recorded.body.id, verifier);
    const tokenized = await tokenize(recorded.body.id, recorder);

    // Assess
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      project_id: projectId,
      amount_ngnts: '1250000.50',
      source: 'March PPA invoice',
      source_document_url: 'https://docs.example.com/ppa-03.pdf',
      status: 'recorded',
      recorded_by: recorder.id,
      verified_by: null,
      verified_at: null,
      chain_tx_hash: null,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', verified_by: verifier.id, verified_at: expect.any(String) });
    expect(tokenized.status).toBe(200);
    expect(tokenized.body).toMatchObject({ status: 'tokenized', chain_tx_hash: '0x5eed', verified_by: verifier.id });
    const target = { cashflow_id: recorded.body.id, project_id: projectId };
    expect(await auditRows('cashflow.record')).toEqual([expect.objectContaining({ admin_id: recorder.id, target })]);
    expect(await auditRows('cashflow.verify')).toEqual([expect.objectContaining({ admin_id: verifier.id, target })]);
    expect(await auditRows('cashflow.tokenize')).toEqual([
      expect.objectContaining({ admin_id: recorder.id, details: { previous_status: 'verified', new_status: 'tokenized', chain_tx_hash: '0x5eed' } }),
    ]);
  });

  it('may not be verified by the admin who recorded them (403), nothing written', async () => {
    const recorder = newUser('admin');
    const projectId = await createProject(api, recorder);
    const cashflow = await recordCashflow(api, recorder, projectId);
    const before = await rowCounts();

    const response = await verify(cashflow.id, recorder);

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ type: '/problems/forbidden', recorded_by: recorder.id });
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    { status: 'recorded', step: 'tokenize' },
    { status: 'verified', step: 'verify' },
    { status: 'tokenized', step: 'verify' },
    { status: 'tokenized', step: 'tokenize' },
  ] as const)('only move forward: $step a $status cashflow → 409', async ({ status, step }) => {
    // Prepare
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const cashflow = await cashflowIn(api, projectId, status);
    const before = await rowCounts();

    // Act
    const response = step === 'verify' ? await verify(cashflow.id, admin) : await tokenize(cashflow.id, admin);

    // Assess
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ type: '/problems/conflict', current_status: status });
    expect(await rowCounts()).toEqual(before);
  });

  it('answer 404 for a cashflow or project that does not exist', async () => {
    const admin = newUser('admin');
    expect((await verify(crypto.randomUUID(), admin)).status).toBe(404);
    expect((await tokenize(crypto.randomUUID(), admin)).status).toBe(404);
    const missing = await api.post(
      `/api/projects/${crypto.randomUUID()}/cashflows`,
      { amount_ngnts: '1', source: 's', source_document_url: 'https://example.com/x' },
      { as: admin },
    );
    expect(missing.status).toBe(404);
  });

  it("are listed per project, newest first, by status, page by page", async () => {
    // Prepare: three cashflows here, one in another project
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const recorded = await cashflowIn(api, projectId, 'recorded', '1.00');
    const verified = await cashflowIn(api, projectId, 'verified', '2.00');
    const tokenized = await cashflowIn(api, projectId, 'tokenized', '3.00');
    await cashflowIn(api, await createProject(api, admin, 'Other'), 'recorded');

    // Act
    const all = await allPages(api, admin, `/api/projects/${projectId}/cashflows`, 1);
    const onlyVerified = await api.get(`/api/projects/${projectId}/cashflows?status=verified`, { as: admin });

    // Assess
    expect(all.map((c) => c.id)).toEqual([tokenized.id, verified.id, recorded.id]);
    expect(onlyVerified.body).toEqual({ items: [expect.objectContaining({ id: verified.id, amount_ngnts: '2.00' })], next_cursor: null });
  });
});
