import { z } from 'zod';
import { pageQuery, uuidField } from '../http/schemas';
import { ngntsAmount, txHash } from '../treasury/schemas';

export const cashflowPath = z.object({ id: uuidField });

export const recordCashflowBody = z.strictObject({
  amount_ngnts: ngntsAmount,
  /** Where the money came from, e.g. "March PPA invoice". */
  source: z.string().trim().min(1).max(128),
  /** The evidence the verifier checks. */
  source_document_url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2_048),
});
export type RecordCashflowInput = z.output<typeof recordCashflowBody>;

export const tokenizeCashflowBody = z.strictObject({ chain_tx_hash: txHash });

export const cashflowStatus = z.enum(['recorded', 'verified', 'tokenized']);
export const listCashflowsQuery = z.strictObject({ status: cashflowStatus.optional(), ...pageQuery });
