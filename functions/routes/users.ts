import { pageOf } from '../../shared/http/cursor';
import { defineRoute } from '../../shared/http/route';
import { createUserBody, listUsersQuery, setUserEmailBody, userDto, userPath } from '../../shared/users/schemas';
import { ADMIN, DB } from './access';

/** Users: created by admins, or provisioned from their first token. */
export const userRoutes = {
  createUser: defineRoute({
    method: 'POST',
    path: '/api/users',
    access: ADMIN,
    handler: 'functions/users/create-user.ts',
    summary: 'Pre-register a user by their identity provider subject',
    request: { body: createUserBody },
    response: { status: 201, body: userDto },
    example: { body: { id: '22222222-2222-4222-8222-222222222222', email: 'lp@example.com', name: 'Ada Obi', role: 'lp' } },
    uses: DB,
  }),
  listUsers: defineRoute({
    method: 'GET',
    path: '/api/users',
    access: ADMIN,
    handler: 'functions/users/list-users.ts',
    summary: 'Users, newest first, optionally by role or by e-mail (exact, in any case)',
    request: { query: listUsersQuery },
    response: { body: pageOf(userDto) },
    uses: DB,
  }),
  setUserEmail: defineRoute({
    method: 'PATCH',
    path: '/api/users/{id}',
    access: ADMIN,
    handler: 'functions/users/set-user-email.ts',
    summary: "Set or clear a user's e-mail; a token issued later with a verified e-mail replaces it",
    request: { path: userPath, body: setUserEmailBody },
    response: { body: userDto },
    example: { body: { email: 'lp@example.com' } },
    uses: DB,
  }),
};
