import * as z from '../zod';
import { pageOf } from '../http/cursor';
import { idText, instantString, instantText, pageQuery, uuidField } from '../http/schemas';
import { tokenAmount, tokenText } from './token-fields';

export const movementKind = z.enum(['issue', 'burn', 'transfer']);

export const recordMovementBody = z
  .strictObject({
    kind: movementKind,
    holder_id: uuidField,
    to_holder_id: z.optional(uuidField),
    amount: tokenAmount,
    effective_at: z.optional(instantString),
  })
  .check(
    z.superRefine((body, ctx) => {
      if (body.kind === 'transfer' && body.to_holder_id === undefined) {
        ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: 'is required for a transfer' });
      }
      if (body.kind !== 'transfer' && body.to_holder_id !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: `is only for transfers, not ${body.kind}` });
      }
      if (body.to_holder_id !== undefined && body.to_holder_id === body.holder_id) {
        ctx.addIssue({ code: 'custom', path: ['to_holder_id'], message: 'must differ from holder_id' });
      }
    }),
  );
export type RecordMovementInput = z.output<typeof recordMovementBody>;

export const holdersQuery = z.strictObject({
  as_of: z.optional(instantString),
  ...pageQuery,
});

export const movementDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      project_id: idText,
      kind: movementKind,
      from_holder_id: z.described(z.nullable(idText), 'Null for an issue.'),
      to_holder_id: z.described(z.nullable(idText), 'Null for a burn.'),
      amount: tokenText,
      effective_at: instantText,
      recorded_at: instantText,
      balances: z.described(z.array(z.object({ holder_id: idText, balance: tokenText })), 'The current balances of the holders it moved tokens of, after it.'),
    }),
    { id: 'LpTokenMovement' },
  ),
);
export type MovementDto = z.output<typeof movementDto>;

export const holderBalanceDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      holder_id: idText,
      email: z.described(z.nullable(z.string()), "The holder's current e-mail; null when nobody vouches for one."),
      name: z.nullable(z.string()),
      balance: tokenText,
    }),
    { id: 'HolderBalance' },
  ),
);

/** A page of holders, with the instant their balances are as of. */
export const holdersPageDto = z.responseSchema(() => z.extend(z.built(pageOf(holderBalanceDto)), { as_of: instantText }));
export type HoldersPageDto = z.output<typeof holdersPageDto>;
