import * as z from '../zod';
import { decimalString, freeText, idText, instantText, pageQuery, uuidField } from '../http/schemas';
import { NGNTS } from '../quantities';
import { WALLET_LABEL_MAX_CHARS } from '../text-limits';
import { ngntsText } from '../treasury/ngnts';
import { walletAddress, walletRole } from './wallet-fields';

export const walletType = z.enum(['lp', 'admin', 'treasury', 'distribution']);

/** What a wallet keeps back from outflows, in NGNTS: zero or more. */
const minReserveThreshold = decimalString(NGNTS, { positive: false });

export const walletPath = z.object({ id: uuidField });

export const registerWalletBody = z.strictObject({
  address: walletAddress,
  label: z.optional(freeText({ max: WALLET_LABEL_MAX_CHARS })),
  wallet_type: walletType,
  project_id: z.optional(uuidField),
  /** Default: from the type, see DEFAULT_WALLET_ROLE in ./wallet.ts. */
  wallet_role: z.optional(walletRole),
  min_reserve_threshold: z.optional(minReserveThreshold),
});
export type RegisterWalletInput = z.output<typeof registerWalletBody>;

export const updateWalletSettingsBody = z
  .strictObject({
    wallet_role: z.optional(walletRole),
    /** null removes the reserve. */
    min_reserve_threshold: z.optional(z.nullable(minReserveThreshold)),
  })
  .check(
    z.refine((body) => body.wallet_role !== undefined || body.min_reserve_threshold !== undefined, {
      message: 'give wallet_role, min_reserve_threshold or both',
    }),
  );
export type WalletSettingsInput = z.output<typeof updateWalletSettingsBody>;

export const listWalletsQuery = z.strictObject({ wallet_role: z.optional(walletRole), ...pageQuery });

export const walletDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      id: idText,
      address: z.string(),
      label: z.nullable(z.string()),
      wallet_type: walletType,
      wallet_role: z.described(z.nullable(walletRole), 'Null only for a wallet registered before roles were kept and never given one.'),
      project_id: z.nullable(idText),
      min_reserve_threshold: z.described(z.nullable(ngntsText), 'Null: it keeps no reserve.'),
      created_at: instantText,
    }),
    { id: 'Wallet' },
  ),
);
export type WalletDto = z.output<typeof walletDto>;

export const walletBalanceDto = z.responseSchema(() =>
  z.withMeta(
    z.object({
      wallet_id: idText,
      address: z.string(),
      wallet_role: z.nullable(walletRole),
      balance: ngntsText,
      min_reserve_threshold: z.nullable(ngntsText),
      spendable: z.described(ngntsText, 'What it can pay out without going below its minimum reserve.'),
    }),
    { id: 'WalletBalance' },
  ),
);
export type WalletBalanceDto = z.output<typeof walletBalanceDto>;
