import * as z from 'zod';
import { decimalString, freeText, idText, instantText, jsonObject, pageQuery, uuidField } from '../http/schemas';
import { NGNTS } from '../quantities';
import { METADATA_MAX_CHARS, TX_HASH_MAX_CHARS } from '../text-limits';
import { walletAddress, walletRole } from '../wallets/schemas';
import { flowShapeIssues } from './flows';
import { ngntsText } from './ngnts';

/** An amount of NGNTS, more than zero. */
export const ngntsAmount = decimalString(NGNTS);

/** A transaction hash on whichever chain: one token, no spaces. */
export const txHash = freeText({ max: TX_HASH_MAX_CHARS }).regex(/^\S+$/, 'must not contain spaces');

export const treasuryTransactionType = z.enum(['inflow', 'allocation', 'buyback', 'replenish', 'fee']);


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

/** What a transaction's metadata holds: the JSON object it was recorded with, if any. */
export const transactionMetadataColumn = z.record(z.string(), z.unknown()).nullable();

export const treasuryTransactionDto = z
  .object({
    id: idText,
    type: treasuryTransactionType,
    amount_ngnts: ngntsText,
    source_wallet: z.string().nullable().describe('Null: the money came from outside the platform.'),
    destination_wallet: z.string().nullable().describe('Null: the money left the platform.'),
    source_project_id: idText.nullable(),
    related_tx_hash: z.string().nullable(),
    metadata: transactionMetadataColumn,
    cashflow_id: idText.nullable(),
    redemption_request_id: idText.nullable(),
    recorded_by: idText.nullable().describe('Null: the platform recorded it itself.'),
    created_at: instantText,
  })
  .meta({ id: 'TreasuryTransaction' });
export type TreasuryTransactionDto = z.output<typeof treasuryTransactionDto>;

export const walletBalanceDto = z
  .object({
    wallet_id: idText,
    address: z.string(),
    wallet_role: walletRole.nullable(),
    balance: ngntsText,
    min_reserve_threshold: ngntsText.nullable(),
    spendable: ngntsText.describe('What it can pay out without going below its minimum reserve.'),
  })
  .meta({ id: 'WalletBalance' });
export type WalletBalanceDto = z.output<typeof walletBalanceDto>;
