import { decimalString, decimalText } from '../http/schemas';
import { DISTRIBUTION_AMOUNT } from '../quantities';

/*
 * A distribution's money in requests and answers, for every area's schemas (withdrawals):
 * imported from here, they do not build the distribution routes' request schemas (./schemas.ts).
 */

/** A distribution's money (a total, a withdrawal), more than zero. */
export const distributionAmount = decimalString(DISTRIBUTION_AMOUNT);

/** Distribution amounts as the API writes them, e.g. "250000.5000000". */
export const distributionAmountText = decimalText(DISTRIBUTION_AMOUNT);
