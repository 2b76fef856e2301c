/**
 * Compiled by `tsc --noEmit` (npm test), never run: the generated consumer types in
 * docs/api-types.ts say what the route table's schemas accept.
 */
import type {
  ApiOperations,
  CreateDistributionBody,
  ListHoldersQuery,
  ListWithdrawalsResponse,
  ProblemDetails,
  Project,
  RecordLpTokenMovementBody,
  Withdrawal,
} from '../../docs/api-types';

export const distribution: CreateDistributionBody = {
  project_id: '33333333-3333-4333-8333-333333333333',
  event_type: 'revenue',
  title: 'Q1 revenue',
  total_amount: '250000.50',
  distribution_date: '2026-03-31T00:00:00Z',
};

// @ts-expect-error amounts are decimal strings, never JSON numbers
export const numericAmount: RecordLpTokenMovementBody = { kind: 'issue', holder_id: 'x', amount: 1000 };

// @ts-expect-error the body is closed: unknown members are refused
export const extraMember: CreateDistributionBody = { ...distribution, extra: true };

export const holders: ListHoldersQuery = { as_of: '2026-02-01T00:00:00Z', limit: 50 };
export const problem: ProblemDetails = { type: '/problems/not-found', title: 'Not found', status: 404 };

type Assert<T extends true> = T;
export type CreateUserIsAPost = Assert<ApiOperations['createUser']['method'] extends 'POST' ? true : false>;
export type GetProjectTakesAnId = Assert<ApiOperations['getProject']['path_params'] extends { id: string } ? true : false>;

// Responses: each success's body type, by operation and status.
export const project: ApiOperations['getProject']['responses'][200] = {
  id: '33333333-3333-4333-8333-333333333333',
  name: 'Lagos Solar',
  status: 'active',
  current_nav_per_token: null,
  created_by: '11111111-1111-4111-8111-111111111111',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

// @ts-expect-error a response's amounts are decimal strings, never JSON numbers
export const numericNav: Project = { ...project, current_nav_per_token: 1.25 };

// @ts-expect-error a response is closed too: it has no members the document does not list
export const extraResponseMember: Project = { ...project, extra: true };

export type WithdrawalsArePages = Assert<ListWithdrawalsResponse extends { items: Withdrawal[]; next_cursor: string | null } ? true : false>;
export type IssuesMayWaitForASecondAdmin = Assert<ApiOperations['recordLpTokenMovement']['responses'][202] extends { status: string; proposed_by: string } ? true : false>;
