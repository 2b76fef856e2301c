import { created, httpHandler } from '../../shared/http/handler';
import { createProject } from '../../shared/projects/create-project';
import { toProjectDto } from '../../shared/projects/project';
import { projectRoutes } from '../routes/projects';

export const handler = httpHandler(projectRoutes.createProject, async ({ db, caller, body }) => {
  const project = await createProject(db, caller, body);
  return created(toProjectDto(project), `/api/projects/${project.id}`);
});
