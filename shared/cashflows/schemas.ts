import * as z from '../zod';
import { freeText, idText, instantText, keepsTextRule, pageQuery, uuidField } from '../http/schemas';
import { ngntsText } from '../treasury/ngnts';
import { CASHFLOW_SOURCE_MAX_CHARS, DOCUMENT_URL_MAX_CHARS } from '../text-limits';
import { ngntsAmount, txHash } from '../treasury/treasury-fields';

export const cashflowPath = z.object({ id: uuidField });

export const recordCashflowBody = z.strictObject({
  amount_ngnts: ngntsAmount,
  /** Where the money came from, e.g. "March PPA invoice". */
  source: freeText({ max: CASHFLOW_SOURCE_MAX_CHARS }),
  /** The evidence the verifier checks. */
  source_document_url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .check(z.maxLength(DOCUMENT_URL_MAX_CHARS), z.superRefine(keepsTextRule)),
});
export type RecordCashflowInput = z.output<typeof recordCashflowBody>;

export const tokenizeCashflowBody = z.strictObject({ chain_tx_hash: txHash });

export const cashflowStatus = z.enum(['recorded', 'verified', 'tokenized']);
export const listCashflowsQuery = z.strictObject({ status: z.optional(cashflowStatus), ...pageQuery });

export const cashflowDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      project_id: idText,
      amount_ngnts: ngntsText,
      source: z.nullable(z.string()),
      source_document_url: z.nullable(z.string()),
      status: cashflowStatus,
      recorded_by: z.nullable(idText),
      verified_by: z.nullable(idText),
      verified_at: z.nullable(instantText),
      chain_tx_hash: z.nullable(z.string()),
      created_at: instantText,
    }),
    { id: 'Cashflow' },
  ),
);
export type CashflowDto = z.output<typeof cashflowDto>;
