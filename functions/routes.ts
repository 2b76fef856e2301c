import { holdersQuery, recordMovementBody } from '../shared/lp-tokens/schemas';
import { createProjectBody, projectIdPath, projectPath } from '../shared/projects/schemas';
import { defineRoute } from '../shared/http/route';
import { createUserBody } from '../shared/users/schemas';

const ADMIN = ['admin'] as const;
const DB = ['database'] as const;

/**
 * Every API operation: method, path, who may call it, its handler module and its request
 * schemas. Infrastructure creates one Lambda and one API Gateway route per entry, the local
 * stack serves the same entries, and each handler enforces its own entry's access.
 */
export const routes = {
  getHealth: defineRoute({
    method: 'GET',
    path: '/api/health',
    access: 'public',
    handler: 'functions/health/get-health.ts',
    summary: 'Liveness check',
    request: {},
    uses: [],
  }),
  verifyDatabase: defineRoute({
    method: 'GET',
    path: '/api/setup/verify-database',
    access: ADMIN,
    handler: 'functions/setup/verify-database.ts',
    summary: 'Check every table, column, index and constraint the migrations define',
    request: {},
    uses: DB,
  }),
  createUser: defineRoute({
    method: 'POST',
    path: '/api/users',
    access: ADMIN,
    handler: 'functions/users/create-user.ts',
    summary: 'Pre-register a user by their identity provider subject',
    request: { body: createUserBody },
    uses: DB,
  }),
  createProject: defineRoute({
    method: 'POST',
    path: '/api/projects',
    access: ADMIN,
    handler: 'functions/projects/create-project.ts',
    summary: 'Create a project',
    request: { body: createProjectBody },
    uses: DB,
  }),
  getProject: defineRoute({
    method: 'GET',
    path: '/api/projects/{id}',
    access: ['admin', 'lp'],
    handler: 'functions/projects/get-project.ts',
    summary: 'Read a project',
    request: { path: projectPath },
    uses: DB,
  }),
  recordLpTokenMovement: defineRoute({
    method: 'POST',
    path: '/api/projects/{projectId}/lp-tokens',
    access: ADMIN,
    handler: 'functions/lp-tokens/record-movement.ts',
    summary: 'Issue, burn or transfer LP tokens at an instant',
    request: { path: projectIdPath, body: recordMovementBody },
    uses: DB,
  }),
  listHolders: defineRoute({
    method: 'GET',
    path: '/api/projects/{projectId}/holders',
    access: ADMIN,
    handler: 'functions/lp-tokens/list-holders.ts',
    summary: "A project's holders and balances as of an instant",
    request: { path: projectIdPath, query: holdersQuery },
    uses: DB,
  }),
};

export type RouteName = keyof typeof routes;
