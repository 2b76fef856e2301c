import type { Selectable } from 'kysely';
import type { ProjectCashflowsTable } from '../db/schema';
import { ngntsString } from '../treasury/ngnts';
import type { CashflowDto } from './schemas';
import { isoOrNull } from '../iso-instant';

export type CashflowRow = Selectable<ProjectCashflowsTable>;
export type CashflowStatus = CashflowRow['status'];

export const toCashflowDto = (row: CashflowRow): CashflowDto => ({
  id: row.id,
  project_id: row.project_id,
  amount_ngnts: ngntsString(row.amount_ngnts),
  source: row.source,
  source_document_url: row.source_document_url,
  status: row.status,
  recorded_by: row.recorded_by,
  verified_by: row.verified_by,
  verified_at: isoOrNull(row.verified_at),
  chain_tx_hash: row.chain_tx_hash,
  created_at: row.created_at.toISOString(),
});
