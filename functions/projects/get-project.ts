import { httpHandler, ok } from '../../shared/http/handler';
import { getProject } from '../../shared/projects/get-project';
import { toProjectDto } from '../../shared/projects/project';
import { projectRoutes } from '../routes/projects';

export const handler = httpHandler(projectRoutes.getProject, async ({ db, path }) =>
  ok(toProjectDto(await getProject(db, path.id))),
);
