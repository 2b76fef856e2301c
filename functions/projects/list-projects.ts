import { httpHandler, ok } from '../../shared/http/handler';
import { listAllProjects } from '../../shared/projects/list-projects';
import { projectRoutes } from '../routes/projects';

export const handler = httpHandler(projectRoutes.listProjects, async ({ db, query }) => ok(await listAllProjects(db, query)));
