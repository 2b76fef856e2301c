import type { Db } from '../db/client';
import type { Caller } from '../identity/caller';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, type Page, type PageRequest, readPage } from '../http/cursor';
import { toWithdrawalDto } from './withdrawal';
import { listWithdrawals, type WithdrawalStatus } from './withdrawals.repository';

/** An LP's own withdrawal requests, or everyone's for an admin, optionally by status. */
export async function listWithdrawalRequests(
  db: Db,
  caller: Caller,
  query: PageRequest & { status?: WithdrawalStatus },
): Promise<Page<ReturnType<typeof toWithdrawalDto>>> {
  const after = decodeCursor(query.cursor, createdKey);
  const rows = listWithdrawals(
    db,
    { holderId: caller.role === 'admin' ? undefined : caller.id, status: query.status },
    { after, limit: query.limit },
  );
  return readPage(rows, query.limit, toWithdrawalDto, createdKeyOf);
}
