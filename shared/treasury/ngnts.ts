import type { Decimal } from '../decimal';
import { decimalText } from '../http/schemas';
import { asText, NGNTS } from '../quantities';

/** NGNTS go on the wire at their type's scale, e.g. "1234.50". */
export const ngntsString = (value: Decimal | string): string => asText(NGNTS, value);

/** NGNTS as the API writes them, e.g. "1234.50" (response schemas). */
export const ngntsText = decimalText(NGNTS);
