import * as z from '../../shared/zod';
import { defineRoute } from '../../shared/http/route';

/** The liveness check. */
export const healthRoutes = {
  getHealth: defineRoute({
    method: 'GET',
    path: '/api/health',
    access: 'public',
    handler: 'functions/health/get-health.ts',
    summary: 'Liveness check',
    request: {},
    response: { body: z.object({ status: z.literal('ok') }) },
    uses: [],
  }),
};
