import { z } from 'zod';
import { freeText, uuidField } from '../http/schemas';

/** users.name is varchar(255). */
export const USER_NAME_MAX_CHARS = 255;
/** users.email is varchar(320); z.email() takes ASCII only. */
export const EMAIL_MAX_CHARS = 320;

export const createUserBody = z.strictObject({
  id: uuidField,
  email: z.email().max(EMAIL_MAX_CHARS),
  name: freeText({ max: USER_NAME_MAX_CHARS }).optional(),
  role: z.enum(['admin', 'lp']),
});
export type CreateUserInput = z.output<typeof createUserBody>;
