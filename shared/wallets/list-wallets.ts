import type { Db } from '../db/client';
import type { WalletRole } from '../db/schema';
import { createdKey, createdKeyOf } from '../db/keyset';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { toWalletDto } from './wallet';
import { listWallets } from './wallets.repository';

/** The platform's wallets, newest first, optionally of one role. */
export async function listPlatformWallets(db: Db, query: PageRequest & { wallet_role?: WalletRole }) {
  const after = decodeCursor(query.cursor, createdKey);
  return readPage(listWallets(db, { walletRole: query.wallet_role }, { after, limit: query.limit }), query.limit, toWalletDto, createdKeyOf);
}
