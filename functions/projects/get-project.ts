import { httpHandler, ok } from '../../shared/http/handler';
import { getProject } from '../../shared/projects/get-project';
import { toProjectDto } from '../../shared/projects/project';
import { routes } from '../routes';

export const handler = httpHandler(routes.getProject, async ({ db, path }) =>
  ok(toProjectDto(await getProject(db, path.id))),
);
