import { z } from 'zod';
import { freeText, pageQuery, uuidField } from '../http/schemas';

/** projects.name is varchar(255). */
export const PROJECT_NAME_MAX_CHARS = 255;

export const projectIdPath = z.object({ projectId: uuidField });
export const projectPath = z.object({ id: uuidField });

export const createProjectBody = z.strictObject({
  name: freeText({ max: PROJECT_NAME_MAX_CHARS }),
  status: z.enum(['active', 'suspended', 'closed']).default('active'),
});
export type CreateProjectInput = z.output<typeof createProjectBody>;

export const listProjectsQuery = z.strictObject({ ...pageQuery });
