import type { TestUser } from './api';

/** `lp` owns the data the request is about (their tokens, their allocation); `otherLp` does not. */
export type Who = 'anonymous' | 'lp' | 'otherLp' | 'admin';

/** The order callers are tried in: only the last allowed one may change state. */
export const CALLERS: readonly Who[] = ['anonymous', 'otherLp', 'lp', 'admin'];

/** An LP (`lp`) holding 10 tokens of `projectId` since January, another LP, and an admin. */
export interface Scenario {
  admin: TestUser;
  lp: TestUser;
  otherLp: TestUser;
  projectId: string;
}

export interface MatrixEntry {
  /** Expected status per caller for the request below. */
  expect: Record<Who, number>;
  /** Builds a valid request for the route on top of the scenario (it may create fixtures). */
  request: (scenario: Scenario) => Promise<{ path: string; body?: unknown }>;
}

export function only(adminStatus: number): Record<Who, number> {
  return { anonymous: 401, lp: 403, otherLp: 403, admin: adminStatus };
}

export function signedIn(status: number): Record<Who, number> {
  return { anonymous: 401, lp: status, otherLp: status, admin: status };
}
