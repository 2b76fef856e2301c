import type { Selectable } from 'kysely';
import { fromJsonColumn } from '../db/json-columns';
import type { TreasuryPoolTransactionsTable } from '../db/schema';
import { ngntsString } from './ngnts';
import { transactionMetadataColumn, type TreasuryTransactionDto } from './schemas';

export type TreasuryTransactionRow = Selectable<TreasuryPoolTransactionsTable>;

export const toTreasuryTransactionDto = (row: TreasuryTransactionRow): TreasuryTransactionDto => ({
  id: row.id,
  type: row.type,
  amount_ngnts: ngntsString(row.amount_ngnts),
  source_wallet: row.source_wallet,
  destination_wallet: row.destination_wallet,
  source_project_id: row.source_project_id,
  related_tx_hash: row.related_tx_hash,
  metadata: fromJsonColumn(transactionMetadataColumn, row.metadata),
  cashflow_id: row.cashflow_id,
  redemption_request_id: row.redemption_request_id,
  recorded_by: row.recorded_by,
  created_at: row.created_at.toISOString(),
});
