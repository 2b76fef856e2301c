import * as z from '../zod';

const checkStatus = z.enum(['ok', 'missing', 'different']);
const catalogKinds = <T extends z.ZodMiniType>(each: T) => z.object({ tables: each, columns: each, indexes: each, constraints: each });

const schemaCheck = z.object({
  name: z.described(z.string(), 'The table, `table.column`, index or constraint.'),
  status: checkStatus,
  expected: z.described(z.string(), 'The definition the migrations make, as Postgres reports it.'),
  actual: z.described(z.nullable(z.string()), 'Null: missing.'),
});

/** What `GET /api/setup/verify-database` reports (./verify-database.ts). */
export const databaseVerificationDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      ok: z.described(z.boolean(), 'Every migration applied and every part as the migrations define it.'),
      migration: z.object({ current: z.nullable(z.string()), latest: z.string(), pending: z.array(z.string()) }),
      summary: catalogKinds(
        z.object({ ok: z.int().check(z.nonnegative()), missing: z.int().check(z.nonnegative()), different: z.int().check(z.nonnegative()) }),
      ),
      checks: catalogKinds(z.array(schemaCheck)),
    }),
    { id: 'DatabaseVerification' },
  ),
);
export type DatabaseVerification = z.output<typeof databaseVerificationDto>;
export type CheckStatus = z.output<typeof checkStatus>;
export type SchemaCheck = z.output<typeof schemaCheck>;
