import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { expectStatus, newUser, type TestUser, useApi } from '../support/api';
import { recordedEvents } from '../support/domain-events';
import { createProject, rowCounts } from '../support/fixtures';
import { reconcileIn } from '../support/outbox';

// Dual control on for this file: each function's execution environment starts with it.
process.env.DUAL_CONTROL = 'on';

/**
 * A proposal no second admin ever decides (a person who never comes) waits only a week: past its
 * window no decision takes, and the reconciler ends it as `expired`, audited and told.
 */
const api = useApi();

const WEEK_HOURS = 7 * 24;


async function team() {
  const maker = newUser('admin', 'maker');
  const checker = newUser('admin', 'checker');
  const projectId = await createProject(api, maker);
  // Any call provisions the caller: the checker's users row exists from here on.
  expectStatus('sign in', await api.get('/api/proposals', { as: checker }), 200);
  return { maker, checker, projectId };
}

const proposeNav = async (maker: TestUser, projectId: string) =>
  expectStatus(
    'propose',
    await api.post(`/api/projects/${projectId}/nav`, { nav_per_token: '1.25', source: 'audited', effective_at: '2026-01-01T00:00:00Z' }, { as: maker }),
    202,
  );

/** Moves a proposal's making and window `hours` into the past, as if it had waited that long. */
async function agedBy(proposalId: string, hours: number) {
  await sql`UPDATE dual_control_proposals
    SET created_at = created_at - ${hours} * interval '1 hour', expires_at = expires_at - ${hours} * interval '1 hour'
    WHERE id = ${proposalId}::uuid`.execute(getDb());
}

const expireAudit = async (proposalId: string) =>
  (
    await sql<{ admin_id: string | null; details: Record<string, unknown> }>`
      SELECT admin_id, details FROM audit_admin_actions WHERE action = 'dual_control.expire' AND target->>'proposal_id' = ${proposalId}`.execute(getDb())
  ).rows;

describe('a dual-control proposal nobody decides', () => {
  it('says when its window ends, and tells the approvers', async () => {
    // Prepare, Act
    const { maker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);

    // Assess
    expect(new Date(proposal.expires_at).getTime() - new Date(proposal.proposed_at).getTime()).toBe(WEEK_HOURS * 3600 * 1000);
    const asked = (await recordedEvents({ subjectId: proposal.id })).find((event) => event.type === 'approval.requested');
    expect(asked?.detail).toMatchObject({ expires_at: proposal.expires_at });
  });

  it('cannot be decided once its window has ended: 409, and nothing is written', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);
    await agedBy(proposal.id, WEEK_HOURS + 1);
    const before = await rowCounts();

    // Act
    const approve = await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: checker });
    const reject = await api.post(`/api/proposals/${proposal.id}/reject`, { reason: 'too late' }, { as: checker });
    const withdraw = await api.post(`/api/proposals/${proposal.id}/withdraw`, undefined, { as: maker });

    // Assess
    for (const response of [approve, reject, withdraw]) {
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ detail: expect.stringContaining('expired'), current_status: 'expired' });
    }
    expect(await rowCounts()).toEqual(before);
    expect((await api.get(`/api/proposals/${proposal.id}`, { as: checker })).body.status).toBe('pending');
  });

  it('is ended as expired by the reconciler once its window has passed, audited and told once', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);

    // Act
    const within = await reconcileIn(WEEK_HOURS * 60 - 1);
    const past = await reconcileIn(WEEK_HOURS * 60 + 1);
    const again = await reconcileIn(WEEK_HOURS * 60 + 10);

    // Assess
    expect(within.healed.filter((finding) => finding.subjectId === proposal.id)).toEqual([]);
    expect(past.healed.filter((finding) => finding.subjectId === proposal.id)).toEqual([
      expect.objectContaining({ kind: 'proposal-expired' }),
    ]);
    expect(again.healed.filter((finding) => finding.subjectId === proposal.id)).toEqual([]);
    const ended = expectStatus('read', await api.get(`/api/proposals/${proposal.id}`, { as: checker }), 200);
    expect(ended).toMatchObject({ status: 'expired', decided_by: null, applied_record_id: null, expires_at: proposal.expires_at });
    expect(ended.decided_at).not.toBeNull();
    expect(await expireAudit(proposal.id)).toEqual([expect.objectContaining({ admin_id: null, details: { status: 'expired' } })]);
    const expired = (await recordedEvents({ subjectId: proposal.id })).filter((event) => event.type === 'proposal.expired');
    expect(expired.map((event) => event.detail)).toEqual([
      expect.objectContaining({ proposal_id: proposal.id, proposed_by: maker.id, expires_at: proposal.expires_at }),
    ]);
    const listed = expectStatus('list', await api.get(`/api/proposals?status=expired&project_id=${projectId}`, { as: checker }), 200);
    expect(listed.items.map((item: { id: string }) => item.id)).toEqual([proposal.id]);
    expectStatus('approve after expiry', await api.post(`/api/proposals/${proposal.id}/approve`, undefined, { as: checker }), 409);
  });

  it('leaves a proposal decided in time alone', async () => {
    // Prepare
    const { maker, checker, projectId } = await team();
    const proposal = await proposeNav(maker, projectId);
    expectStatus('reject', await api.post(`/api/proposals/${proposal.id}/reject`, { reason: 'not this one' }, { as: checker }), 200);

    // Act
    const report = await reconcileIn(WEEK_HOURS * 60 + 1);

    // Assess
    expect(report.healed.filter((finding) => finding.subjectId === proposal.id)).toEqual([]);
    expect((await api.get(`/api/proposals/${proposal.id}`, { as: checker })).body.status).toBe('rejected');
  });
});
