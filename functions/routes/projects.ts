import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { createProjectBody, listProjectsQuery, projectDto, projectPath } from '../../shared/projects/schemas';
import { ADMIN, DB, SIGNED_IN } from './access';

/** Projects. */
export const projectRoutes = {
  createProject: defineRoute({
    method: 'POST',
    path: '/api/projects',
    access: ADMIN,
    handler: 'functions/projects/create-project.ts',
    summary: 'Create a project',
    request: { body: createProjectBody },
    response: { status: 201, body: projectDto },
    example: { body: { name: 'Lagos Solar' } },
    uses: DB,
  }),
  listProjects: defineRoute({
    method: 'GET',
    path: '/api/projects',
    access: SIGNED_IN,
    handler: 'functions/projects/list-projects.ts',
    summary: 'Every project, newest first',
    request: { query: listProjectsQuery },
    response: { body: pageOf(projectDto) },
    uses: DB,
  }),
  getProject: defineRoute({
    method: 'GET',
    path: '/api/projects/{id}',
    access: ['admin', 'lp'],
    handler: 'functions/projects/get-project.ts',
    summary: 'Read a project',
    request: { path: projectPath },
    response: { body: projectDto },
    uses: DB,
  }),
};
