import type { Db } from '../db/client';
import type { RedemptionStatus } from '../db/schema';
import { NotFoundError } from '../errors';
import type { Caller } from '../identity/caller';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { redemptionDtoFor } from './redemption';
import { findRedemption, listRedemptions, type RedemptionView } from './redemptions.repository';

/** A request, for its owner or an admin; to anyone else it does not exist. */
export async function getRedemption(db: Db, caller: Caller, id: string): Promise<RedemptionView> {
  const request = await findRedemption(db, id);
  if (request === undefined || (caller.role !== 'admin' && request.user_id !== caller.id)) {
    throw new NotFoundError('Redemption request', id);
  }
  return request;
}

export async function listRedemptionRequests(db: Db, caller: Caller, query: PageRequest & { status?: RedemptionStatus }) {
  const after = decodeCursor(query.cursor, createdKey);
  const rows = listRedemptions(db, { userId: caller.role === 'admin' ? undefined : caller.id, status: query.status }, { after, limit: query.limit });
  return readPage(rows, query.limit, redemptionDtoFor(caller), createdKeyOf);
}
