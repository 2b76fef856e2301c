import * as z from '../zod';
import { decimalString, freeText } from '../http/schemas';
import { NGNTS } from '../quantities';
import { TX_HASH_MAX_CHARS } from '../text-limits';

/*
 * An amount of NGNTS and a transaction hash, for every area's schemas (cashflows): imported from
 * here, they do not build the treasury routes' request schemas (./schemas.ts).
 */

/** An amount of NGNTS, more than zero. */
export const ngntsAmount = decimalString(NGNTS);

/** A transaction hash on whichever chain: one token, no spaces. */
export const txHash = freeText({ max: TX_HASH_MAX_CHARS }).check(z.regex(/^\S+$/, 'must not contain spaces'));
