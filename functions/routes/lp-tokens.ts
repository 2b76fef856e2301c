import { defineRoute } from '../../shared/http/route';
import { holdersPageDto, holdersQuery, movementDto, recordMovementBody } from '../../shared/lp-tokens/schemas';
import { projectIdPath } from '../../shared/projects/schemas';
import { ADMIN, DB, LP } from './access';

/** The LP token ledger of a project and its holders. */
export const lpTokenRoutes = {
  recordLpTokenMovement: defineRoute({
    method: 'POST',
    path: '/api/projects/{projectId}/lp-tokens',
    access: ADMIN,
    handler: 'functions/lp-tokens/record-movement.ts',
    summary: 'Issue, burn or transfer LP tokens at an instant',
    request: { path: projectIdPath, body: recordMovementBody },
    response: { status: 201, body: movementDto },
    dualControl: 'An issue',
    example: { body: { kind: 'issue', holder_id: '22222222-2222-4222-8222-222222222222', amount: '1000', effective_at: '2026-01-01T00:00:00Z' } },
    uses: DB,
  }),
  listHolders: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/holders',
    access: ADMIN,
    handler: 'functions/lp-tokens/list-holders.ts',
    summary: "A project's holders and balances as of an instant",
    request: { path: projectIdPath, query: holdersQuery },
    response: { body: holdersPageDto },
    uses: DB,
  }),
};
