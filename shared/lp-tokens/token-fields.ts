import { decimalString, decimalText } from '../http/schemas';
import { LP_TOKENS } from '../quantities';

/*
 * LP token amounts in requests and answers, for every area's schemas: imported from here, they
 * do not build the token routes' request schemas (./schemas.ts) in another area's functions.
 */

/** An amount of LP tokens, more than zero. */
export const tokenAmount = decimalString(LP_TOKENS);

/** Token amounts as the API writes them, e.g. "1000.0000000". */
export const tokenText = decimalText(LP_TOKENS);
