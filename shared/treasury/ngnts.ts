import { Decimal } from '../decimal';
import { decimalText } from '../http/schemas';

/** NGNTS amounts are numeric(30, 2) and go on the wire at that scale, e.g. "1234.50". */
export const NGNTS_SCALE = 2;

export const ngntsString = (value: Decimal | string): string => new Decimal(value).toFixed(NGNTS_SCALE);

/** NGNTS as the API writes them, e.g. "1234.50". */
export const ngntsText = decimalText(NGNTS_SCALE);
