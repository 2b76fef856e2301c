import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { PlatformWalletRow } from '../db/schema';
import { ConflictError, RuleViolationError } from '../errors';
import type { Caller } from '../identity/caller';
import { findProjectById } from '../projects/projects.repository';
import { findWalletByAddress } from '../treasury/accounts.repository';
import type { RegisterWalletInput } from './schemas';
import { assertNoOtherTreasuryPool } from './treasury-pool';
import { DEFAULT_WALLET_ROLE, toWalletDto } from './wallet';
import { insertWalletIfAbsent } from './wallets.repository';

const alreadyRegistered = (address: string) =>
  new ConflictError(`Wallet ${address} is already registered`, { address });

/**
 * Registers a platform wallet with its audit row. Its role defaults from its type; an address
 * already registered, or a second treasury pool, is a 409.
 */
export async function registerWallet(db: Db, admin: Caller, input: RegisterWalletInput): Promise<PlatformWalletRow> {
  const walletRole = input.wallet_role ?? DEFAULT_WALLET_ROLE[input.wallet_type];
  return db.transaction().execute(async (trx) => {
    if (input.project_id !== undefined && (await findProjectById(trx, input.project_id)) === undefined) {
      throw new RuleViolationError(`Project ${input.project_id} does not exist`, { project_id: input.project_id });
    }
    if ((await findWalletByAddress(trx, input.address)) !== undefined) throw alreadyRegistered(input.address);
    if (walletRole === 'treasury_pool') await assertNoOtherTreasuryPool(trx);
    const row = await insertWalletIfAbsent(trx, {
      address: input.address,
      label: input.label ?? null,
      walletType: input.wallet_type,
      walletRole,
      projectId: input.project_id ?? null,
      minReserveThreshold: input.min_reserve_threshold ?? null,
    });
    // Absent only when another request registered the address between the check and the insert.
    if (row === undefined) throw alreadyRegistered(input.address);
    const { id, address, ...details } = toWalletDto(row);
    await recordAdminAction(trx, { adminId: admin.id, action: 'wallet.register', target: { wallet_id: id, address }, details });
    return row;
  });
}
