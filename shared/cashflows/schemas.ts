import { z } from 'zod';
import { freeText, keepsTextRule, pageQuery, uuidField } from '../http/schemas';
import { ngntsAmount, txHash } from '../treasury/schemas';

/** project_cashflows.source is varchar(128). */
export const CASHFLOW_SOURCE_MAX_CHARS = 128;
export const DOCUMENT_URL_MAX_CHARS = 2_048;

export const cashflowPath = z.object({ id: uuidField });

export const recordCashflowBody = z.strictObject({
  amount_ngnts: ngntsAmount,
  /** Where the money came from, e.g. "March PPA invoice". */
  source: freeText({ max: CASHFLOW_SOURCE_MAX_CHARS }),
  /** The evidence the verifier checks. */
  source_document_url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(DOCUMENT_URL_MAX_CHARS).superRefine(keepsTextRule),
});
export type RecordCashflowInput = z.output<typeof recordCashflowBody>;

export const tokenizeCashflowBody = z.strictObject({ chain_tx_hash: txHash });

export const cashflowStatus = z.enum(['recorded', 'verified', 'tokenized']);
export const listCashflowsQuery = z.strictObject({ status: cashflowStatus.optional(), ...pageQuery });
