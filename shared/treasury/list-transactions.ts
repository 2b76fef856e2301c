import type { Db } from '../db/client';
import { createdKey, createdKeyOf } from '../db/keyset';
import type { TreasuryTransactionType } from '../db/schema';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { listTransactions } from './accounts.repository';
import { toTreasuryTransactionDto } from './transaction';

/** Treasury transactions, newest first, optionally of one type and/or source project. */
export async function listTreasuryTransactions(
  db: Db,
  query: PageRequest & { type?: TreasuryTransactionType; project_id?: string },
) {
  const after = decodeCursor(query.cursor, createdKey);
  const rows = listTransactions(db, { type: query.type, projectId: query.project_id }, { after, limit: query.limit });
  return readPage(rows, query.limit, toTreasuryTransactionDto, createdKeyOf);
}
