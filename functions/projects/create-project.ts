import { created } from '../../shared/http/handler';
import { postHandler } from '../../shared/http/post-handler';
import { createProject } from '../../shared/projects/create-project';
import { toProjectDto } from '../../shared/projects/project';
import { projectRoutes } from '../routes/projects';

export const handler = postHandler(projectRoutes.createProject, async ({ db, caller, body }) => {
  const project = await createProject(db, caller, body);
  return created(toProjectDto(project), `/api/projects/${project.id}`);
});
