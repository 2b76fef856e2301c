import { describe, expect, it } from 'vitest';
import { expectStatus, newUser, type TestUser, useApi } from '../support/api';
import { eventHandoffs, recordedEvents } from '../support/domain-events';
import { createProject } from '../support/fixtures';

// Dual control on for this file: each function's execution environment starts with it.
process.env.DUAL_CONTROL = 'on';

/**
 * Issue 12, items 1 and 2: a dual-control proposal made or decided is told once, and a proposal
 * asks the approvers for a second admin.
 */
const api = useApi();


async function team() {
  const maker = newUser('admin', 'maker');
  const checker = newUser('admin', 'checker');
  const projectId = await createProject(api, maker);
  return { maker, checker, projectId };
}

const proposeNav = async (maker: TestUser, projectId: string, nav = '1.25') =>
  expectStatus('propose', await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: nav, source: 'audited', effective_at: '2026-01-01T00:00:00Z' }, { as: maker }), 202);

describe('a dual-control proposal', () => {
  it('is told made, with a request for a second admin, and approved once, with the write it made', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);

    // Act
    const approved = expectStatus('approve', await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: checker }), 200);
    expectStatus('approve again', await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: checker }), 409);

    // Assess
    const events = await recordedEvents({ subjectId: proposal.id });
    expect(events.map((event) => event.type)).toEqual(['proposal.made', 'approval.requested', 'proposal.approved']);
    expect(events[0]?.detail).toMatchObject({ proposal_id: proposal.id, action: 'nav.record', project_id: projectId, proposed_by: maker.id });
    expect(events[1]?.detail).toMatchObject({
      approval_of: 'proposal',
      who_decides: expect.stringContaining('other than'),
      facts: expect.objectContaining({ action: 'nav.record', nav_per_token: '1.25000000', proposed_by: maker.id }),
      decisions: [
        expect.objectContaining({ decision: 'approve', path: `/api/proposals/${proposal.id}/approve` }),
        expect.objectContaining({ decision: 'reject', path: `/api/proposals/${proposal.id}/reject` }),
      ],
    });
    expect(events[2]?.detail).toMatchObject({ approved_by: checker.id, applied_record_id: approved.applied_record_id });
    expect(await recordedEvents({ subjectId: approved.applied_record_id })).toEqual([
      expect.objectContaining({ type: 'nav.recorded', detail: expect.objectContaining({ recorded_by: maker.id, approved_by: checker.id }) }),
    ]);
    expect((await eventHandoffs()).length).toBe((await recordedEvents()).length);
  });

  it('is told rejected, and withdrawn, once each', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const rejected = await proposeNav(maker, projectId, '1.10');
    const withdrawn = await proposeNav(maker, projectId, '1.20');

    // Act
    expectStatus('reject', await api.post(`/api/proposals/${rejected.id}/reject`, { reason: 'Not audited' }, { as: checker }), 200);
    expectStatus('withdraw', await api.post(`/api/proposals/${withdrawn.id}/withdraw`, undefined, { as: maker }), 200);
    expectStatus('withdraw again', await api.post(`/api/proposals/${withdrawn.id}/withdraw`, undefined, { as: maker }), 409);

    // Assess
    expect((await recordedEvents({ subjectId: rejected.id })).map((event) => [event.type, event.detail.reason ?? null])).toEqual([
      ['proposal.made', null],
      ['approval.requested', null],
      ['proposal.rejected', 'Not audited'],
    ]);
    expect((await recordedEvents({ subjectId: withdrawn.id })).map((event) => [event.type, event.detail.reason ?? null])).toEqual([
      ['proposal.made', null],
      ['approval.requested', null],
      ['proposal.withdrawn', null],
    ]);
  });
});
