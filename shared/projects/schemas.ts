import * as z from '../zod';
import { freeText, idText, instantText, pageQuery, uuidField } from '../http/schemas';
import { navText } from '../nav/nav-entry';
import { PROJECT_NAME_MAX_CHARS } from '../text-limits';

export const projectIdPath = z.object({ projectId: uuidField });
export const projectPath = z.object({ id: uuidField });

export const projectStatus = z.enum(['active', 'suspended', 'closed']);

export const createProjectBody = z.strictObject({
  name: freeText({ max: PROJECT_NAME_MAX_CHARS }),
  status: z._default(projectStatus, 'active'),
});
export type CreateProjectInput = z.output<typeof createProjectBody>;

export const listProjectsQuery = z.strictObject({ ...pageQuery });

export const projectDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      name: z.string(),
      status: projectStatus,
      current_nav_per_token: z.described(z.nullable(navText), "The latest effective NAV entry's; null before the first."),
      created_by: idText,
      created_at: instantText,
      updated_at: instantText,
    }),
    { id: 'Project' },
  ),
);
export type ProjectDto = z.output<typeof projectDto>;
