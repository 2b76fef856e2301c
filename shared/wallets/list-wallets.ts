import type { Db } from '../db/client';
import type { WalletRole } from '../db/schema';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, pageOf } from '../http/cursor';
import { toWalletDto } from './wallet';
import { listWallets } from './wallets.repository';

/** The platform's wallets, newest first, optionally of one role. */
export async function listPlatformWallets(db: Db, query: { wallet_role?: WalletRole; limit: number; cursor?: string }) {
  const after = decodeCursor(query.cursor, createdKey);
  const rows = await listWallets(db, { walletRole: query.wallet_role }, { after, limit: query.limit });
  return pageOf(rows, query.limit, toWalletDto, createdKeyOf);
}
