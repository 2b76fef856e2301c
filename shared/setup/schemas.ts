import * as z from 'zod';

const checkStatus = z.enum(['ok', 'missing', 'different']);
const catalogKinds = <T extends z.ZodType>(each: T) => z.object({ tables: each, columns: each, indexes: each, constraints: each });

const schemaCheck = z.object({
  name: z.string().describe('The table, `table.column`, index or constraint.'),
  status: checkStatus,
  expected: z.string().describe('The definition the migrations make, as Postgres reports it.'),
  actual: z.string().nullable().describe('Null: missing.'),
});

/** What `GET /api/setup/verify-database` reports (./verify-database.ts). */
export const databaseVerificationDto = z
  .object({
    ok: z.boolean().describe('Every migration applied and every part as the migrations define it.'),
    migration: z.object({ current: z.string().nullable(), latest: z.string(), pending: z.array(z.string()) }),
    summary: catalogKinds(z.object({ ok: z.int().nonnegative(), missing: z.int().nonnegative(), different: z.int().nonnegative() })),
    checks: catalogKinds(z.array(schemaCheck)),
  })
  .meta({ id: 'DatabaseVerification' });
export type DatabaseVerification = z.output<typeof databaseVerificationDto>;
export type CheckStatus = z.output<typeof checkStatus>;
export type SchemaCheck = z.output<typeof schemaCheck>;
