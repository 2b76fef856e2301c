import { defineRoute } from '../../shared/http/route';
import { databaseVerificationDto } from '../../shared/setup/schemas';
import { ADMIN, DB } from './access';

/** Checks of the deployed database. */
export const setupRoutes = {
  verifyDatabase: defineRoute({
    method: 'GET',
    path: '/api/setup/verify-database',
    access: ADMIN,
    handler: 'functions/setup/verify-database.ts',
    summary: 'Check every table, column, index and constraint the migrations define',
    request: {},
    response: { body: databaseVerificationDto },
    uses: DB,
  }),
};
