import { httpHandler, ok } from '../../shared/http/handler';
import { listAllProjects } from '../../shared/projects/list-projects';
import { routes } from '../routes';

export const handler = httpHandler(routes.listProjects, async ({ db, query }) => ok(await listAllProjects(db, query)));
