import * as z from '../../shared/zod';
import { badRequest } from './errors';

/**
 * The JSON bodies of the Data API operations the emulator serves, as the AWS SDK sends them
 * (REST-JSON protocol, member names as in the service model).
 */

const field = z.partial(
  z.object({
    stringValue: z.string(),
    longValue: z.number().check(z.int()),
    doubleValue: z.number(),
    booleanValue: z.boolean(),
    isNull: z.boolean(),
    /** Base64, as the protocol encodes blobs. */
    blobValue: z.string(),
    arrayValue: z.record(z.string(), z.unknown()),
  }),
);
export type Field = z.output<typeof field>;

export const typeHints = ['UUID', 'DECIMAL', 'TIMESTAMP', 'DATE', 'TIME', 'JSON'] as const;
export type TypeHint = (typeof typeHints)[number];

const sqlParameter = z.object({
  name: z.string().check(z.minLength(1)),
  value: field,
  typeHint: z.optional(z.enum(typeHints)),
});
export type SqlParameter = z.output<typeof sqlParameter>;

const target = {
  resourceArn: z.string().check(z.minLength(1)),
  secretArn: z.string().check(z.minLength(1)),
};

export const resultSetOptions = z.optional(
  z.object({
    decimalReturnType: z.optional(z.enum(['STRING', 'DOUBLE_OR_LONG'])),
    longReturnType: z.optional(z.enum(['LONG', 'STRING'])),
  }),
);
export type ResultSetOptions = NonNullable<z.output<typeof resultSetOptions>>;

const statement = {
  ...target,
  sql: z.string().check(z.minLength(1)),
  database: z.optional(z.string().check(z.minLength(1))),
  schema: z.optional(z.string()),
  transactionId: z.optional(z.string().check(z.minLength(1))),
};

export const executeStatementRequest = z.object({
  ...statement,
  parameters: z.optional(z.array(sqlParameter)),
  includeResultMetadata: z.optional(z.boolean()),
  continueAfterTimeout: z.optional(z.boolean()),
  resultSetOptions,
  formatRecordsAs: z.optional(z.enum(['NONE', 'JSON'])),
});
export type ExecuteStatementRequest = z.output<typeof executeStatementRequest>;

export const batchExecuteStatementRequest = z.object({
  ...statement,
  parameterSets: z.optional(z.array(z.array(sqlParameter))),
});

export const beginTransactionRequest = z.object({
  ...target,
  database: z.optional(z.string().check(z.minLength(1))),
  schema: z.optional(z.string()),
});

export const endTransactionRequest = z.object({ ...target, transactionId: z.string().check(z.minLength(1)) });

/** Parses a request body, answering BadRequestException (as the service does) when it is malformed. */
export function parseCall<T extends z.ZodMiniType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw badRequest(`Invalid request: ${problems.join('; ')}`);
  }
  return result.data;
}
