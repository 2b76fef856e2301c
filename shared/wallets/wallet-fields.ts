import * as z from '../zod';
import { freeText } from '../http/schemas';
import { WALLET_ADDRESS_MAX_CHARS } from '../text-limits';

/*
 * A wallet's address and role, for every area's schemas (treasury, redemptions): imported from
 * here, they do not build the wallet routes' request schemas (./schemas.ts).
 */

/** A wallet address, as the chain writes it (WALLET_ADDRESS_MAX_CHARS says why at most 64 characters). */
export const walletAddress = freeText({ max: WALLET_ADDRESS_MAX_CHARS }).check(z.regex(/^\S+$/, 'must not contain spaces'));

export const walletRole = z.enum(['operations', 'treasury', 'distribution', 'liquidity_pool', 'treasury_pool']);
