import * as z from 'zod';
import { badRequest } from './errors';

/**
 * The JSON bodies of the Data API operations the emulator serves, as the AWS SDK sends them
 * (REST-JSON protocol, member names as in the service model).
 */

const field = z
  .object({
    stringValue: z.string(),
    longValue: z.number().int(),
    doubleValue: z.number(),
    booleanValue: z.boolean(),
    isNull: z.boolean(),
    /** Base64, as the protocol encodes blobs. */
    blobValue: z.string(),
    arrayValue: z.record(z.string(), z.unknown()),
  })
  .partial();
export type Field = z.output<typeof field>;

export const typeHints = ['UUID', 'DECIMAL', 'TIMESTAMP', 'DATE', 'TIME', 'JSON'] as const;
export type TypeHint = (typeof typeHints)[number];

const sqlParameter = z.object({
  name: z.string().min(1),
  value: field,
  typeHint: z.enum(typeHints).optional(),
});
export type SqlParameter = z.output<typeof sqlParameter>;

const target = {
  resourceArn: z.string().min(1),
  secretArn: z.string().min(1),
};

export const resultSetOptions = z
  .object({
    decimalReturnType: z.enum(['STRING', 'DOUBLE_OR_LONG']).optional(),
    longReturnType: z.enum(['LONG', 'STRING']).optional(),
  })
  .optional();
export type ResultSetOptions = NonNullable<z.output<typeof resultSetOptions>>;

const statement = {
  ...target,
  sql: z.string().min(1),
  database: z.string().min(1).optional(),
  schema: z.string().optional(),
  transactionId: z.string().min(1).optional(),
};

export const executeStatementRequest = z.object({
  ...statement,
  parameters: z.array(sqlParameter).optional(),
  includeResultMetadata: z.boolean().optional(),
  continueAfterTimeout: z.boolean().optional(),
  resultSetOptions,
  formatRecordsAs: z.enum(['NONE', 'JSON']).optional(),
});
export type ExecuteStatementRequest = z.output<typeof executeStatementRequest>;

export const batchExecuteStatementRequest = z.object({
  ...statement,
  parameterSets: z.array(z.array(sqlParameter)).optional(),
});

export const beginTransactionRequest = z.object({
  ...target,
  database: z.string().min(1).optional(),
  schema: z.string().optional(),
});

export const endTransactionRequest = z.object({ ...target, transactionId: z.string().min(1) });

/** Parses a request body, answering BadRequestException (as the service does) when it is malformed. */
export function parseCall<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw badRequest(`Invalid request: ${problems.join('; ')}`);
  }
  return result.data;
}
