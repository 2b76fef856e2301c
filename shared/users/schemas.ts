import { z } from 'zod';
import { uuidField } from '../http/schemas';

export const createUserBody = z.strictObject({
  id: uuidField,
  email: z.email().max(320),
  name: z.string().trim().min(1).max(255).optional(),
  role: z.enum(['admin', 'lp']),
});
export type CreateUserInput = z.output<typeof createUserBody>;
