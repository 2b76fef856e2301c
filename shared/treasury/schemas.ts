import * as z from '../zod';
import { idText, instantText, jsonObject, pageQuery, uuidField } from '../http/schemas';
import { METADATA_MAX_CHARS } from '../text-limits';
import { walletAddress } from '../wallets/wallet-fields';
import { flowShapeIssues } from './flows';
import { ngntsText } from './ngnts';
import { ngntsAmount, txHash } from './treasury-fields';

export const treasuryTransactionType = z.enum(['inflow', 'allocation', 'buyback', 'replenish', 'fee']);

export const recordTreasuryTransactionBody = z
  .strictObject({
    type: treasuryTransactionType,
    amount_ngnts: ngntsAmount,
    /** Wallet addresses; which sides a type allows is in ./flows.ts. */
    source_wallet: z.optional(walletAddress),
    destination_wallet: z.optional(walletAddress),
    source_project_id: z.optional(uuidField),
    related_tx_hash: z.optional(txHash),
    metadata: z.optional(jsonObject({ maxChars: METADATA_MAX_CHARS })),
    /** Inflows only: the verified cashflow this inflow brings into the pool. */
    cashflow_id: z.optional(uuidField),
  })
  .check(
    z.superRefine((body, ctx) => {
      for (const issue of flowShapeIssues(body)) ctx.addIssue({ code: 'custom', ...issue });
    }),
  );
export type RecordTreasuryTransactionInput = z.output<typeof recordTreasuryTransactionBody>;

export const listTreasuryTransactionsQuery = z.strictObject({
  type: z.optional(treasuryTransactionType),
  project_id: z.optional(uuidField),
  ...pageQuery,
});

/** What a transaction's metadata holds: the JSON object it was recorded with, if any. */
export const transactionMetadataColumn = z.nullable(z.record(z.string(), z.unknown()));

export const treasuryTransactionDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      type: treasuryTransactionType,
      amount_ngnts: ngntsText,
      source_wallet: z.described(z.nullable(z.string()), 'Null: the money came from outside the platform.'),
      destination_wallet: z.described(z.nullable(z.string()), 'Null: the money left the platform.'),
      source_project_id: z.nullable(idText),
      related_tx_hash: z.nullable(z.string()),
      metadata: transactionMetadataColumn,
      cashflow_id: z.nullable(idText),
      redemption_request_id: z.nullable(idText),
      recorded_by: z.described(z.nullable(idText), 'Null: the platform recorded it itself.'),
      created_at: instantText,
    }),
    { id: 'TreasuryTransaction' },
  ),
);
export type TreasuryTransactionDto = z.output<typeof treasuryTransactionDto>;
