import { z } from 'zod';
import { decimalString, instantString, pageQuery, uuidField } from '../http/schemas';
import { LP_TOKENS } from '../quantities';

/** An amount of LP tokens, more than zero. */
export const tokenAmount = decimalString(LP_TOKENS);

export const recordMovementBody = z
  .strictObject({
    kind: z.enum(['issue', 'burn', 'transfer']),
    holder_id: uuidField,
    to_holder_id: uuidField.optional(),
    amount: tokenAmount,
    effective_at: instantString.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'transfer' && body.to_holder_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: 'is required for a transfer' });
    }
    if (body.kind !== 'transfer' && body.to_holder_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: `is only for transfers, not ${body.kind}` });
    }
    if (body.to_holder_id !== undefined && body.to_holder_id === body.holder_id) {
      ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: 'must differ from holder_id' });
    }
  });
export type RecordMovementInput = z.output<typeof recordMovementBody>;

export const holdersQuery = z.strictObject({
  as_of: instantString.optional(),
  ...pageQuery,
});
