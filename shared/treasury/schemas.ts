import { z } from 'zod';
import { decimalString, freeText, jsonObject, pageQuery, uuidField } from '../http/schemas';
import { NGNTS } from '../quantities';
import { walletAddress } from '../wallets/schemas';
import { flowShapeIssues } from './flows';

/** An amount of NGNTS, more than zero. */
export const ngntsAmount = decimalString(NGNTS);

export const TX_HASH_MAX_CHARS = 255;

/** A transaction hash on whichever chain: one token, no spaces. */
export const txHash = freeText({ max: TX_HASH_MAX_CHARS }).regex(/^\S+$/, 'must not contain spaces');

export const treasuryTransactionType = z.enum(['inflow', 'allocation', 'buyback', 'replenish', 'fee']);

/** A transaction's metadata, as JSON text (jsonTextLength). */
export const METADATA_MAX_CHARS = 16_384;

export const recordTreasuryTransactionBody = z
  .strictObject({
    type: treasuryTransactionType,
    amount_ngnts: ngntsAmount,
    /** Wallet addresses; which sides a type allows is in ./flows.ts. */
    source_wallet: walletAddress.optional(),
    destination_wallet: walletAddress.optional(),
    source_project_id: uuidField.optional(),
    related_tx_hash: txHash.optional(),
    metadata: jsonObject({ maxChars: METADATA_MAX_CHARS }).optional(),
    /** Inflows only: the verified cashflow this inflow brings into the pool. */
    cashflow_id: uuidField.optional(),
  })
  .superRefine((body, ctx) => {
    for (const issue of flowShapeIssues(body)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type RecordTreasuryTransactionInput = z.output<typeof recordTreasuryTransactionBody>;

export const listTreasuryTransactionsQuery = z.strictObject({
  type: treasuryTransactionType.optional(),
  project_id: uuidField.optional(),
  ...pageQuery,
});
