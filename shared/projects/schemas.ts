import { z } from 'zod';
import { uuidField } from '../http/schemas';

export const projectIdPath = z.object({ projectId: uuidField });
export const projectPath = z.object({ id: uuidField });

export const createProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(255),
  status: z.enum(['active', 'suspended', 'closed']).default('active'),
});
export type CreateProjectInput = z.output<typeof createProjectBody>;
