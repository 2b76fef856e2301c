import { created, httpHandler } from '../../shared/http/handler';
import { createProject } from '../../shared/projects/create-project';
import { toProjectDto } from '../../shared/projects/project';
import { routes } from '../routes';

export const handler = httpHandler(routes.createProject, async ({ db, caller, body }) => {
  const project = await createProject(db, caller, body);
  return created(toProjectDto(project), `/api/projects/${project.id}`);
});
