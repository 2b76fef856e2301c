import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { navEntryDto, navHistoryQuery, navInForceDto, navInForceQuery, recordedNavDto, recordNavBody } from '../../shared/nav/schemas';
import { projectIdPath } from '../../shared/projects/schemas';
import { ADMIN, DB, SIGNED_IN } from './access';

/**
 * NAV routes: a project's NAV history and the NAV in force. Recording one is admin-only (and
 * dual-controlled); LPs may read a project's NAV.
 */
export const navRoutes = {
  recordNav: defineRoute({
    method: 'POST',
    path: '/api/projects/{projectId}/nav',
    access: ADMIN,
    handler: 'functions/nav/record-nav.ts',
    summary: "Append a NAV entry; the project's current NAV becomes the latest effective one's",
    request: { path: projectIdPath, body: recordNavBody },
    response: { status: 201, body: recordedNavDto },
    dualControl: 'Every entry',
    example: { body: { nav_per_token: '1.25', source: 'audited', effective_at: '2026-03-31T00:00:00Z' } },
    uses: DB,
  }),
  listNavHistory: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/nav',
    access: SIGNED_IN,
    handler: 'functions/nav/list-nav-history.ts',
    summary: "A project's NAV history, latest effective first",
    request: { path: projectIdPath, query: navHistoryQuery },
    response: { body: pageOf(navEntryDto) },
    uses: DB,
  }),
  getNavInForce: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/nav/latest',
    access: SIGNED_IN,
    handler: 'functions/nav/get-nav-in-force.ts',
    summary: 'The NAV in force at an instant (as_of, default now)',
    request: { path: projectIdPath, query: navInForceQuery },
    response: { body: navInForceDto },
    uses: DB,
  }),

};
