import * as z from '../zod';
import { freeText, idText, instantText, pageQuery, uuidField } from '../http/schemas';
import { EMAIL_MAX_CHARS, USER_NAME_MAX_CHARS } from '../text-limits';

const email = z.email().check(z.maxLength(EMAIL_MAX_CHARS));

export const userRole = z.enum(['admin', 'lp']);

export const createUserBody = z.strictObject({
  id: uuidField,
  email,
  name: z.optional(freeText({ max: USER_NAME_MAX_CHARS })),
  role: userRole,
});
export type CreateUserInput = z.output<typeof createUserBody>;

export const userPath = z.object({ id: uuidField });

/** null clears the e-mail, so that another user may be given it. */
export const setUserEmailBody = z.strictObject({ email: z.nullable(email) });
export type SetUserEmailInput = z.output<typeof setUserEmailBody>;

/** `email` matches the one user who holds that address, in any case (e-mails are unique). */
export const listUsersQuery = z.strictObject({ role: z.optional(userRole), email: z.optional(email), ...pageQuery });
export type ListUsersQuery = z.output<typeof listUsersQuery>;

export const userDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      email: z.described(z.nullable(z.string()), 'Null: no e-mail the identity provider or an admin vouches for (README, Conventions).'),
      name: z.nullable(z.string()),
      role: userRole,
      created_at: instantText,
    }),
    { id: 'User' },
  ),
);
export type UserDto = z.output<typeof userDto>;
