import DecimalJs from 'decimal.js';

/**
 * The one Decimal the codebase uses for money and token amounts. decimal.js defaults to 20
 * significant digits, fewer than a numeric(30, 8) holds; 80 keeps every product and quotient
 * we form exact until we round it on purpose.
 */
export const Decimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_DOWN, toExpNeg: -100, toExpPos: 100 });
export type Decimal = InstanceType<typeof Decimal>;

/** Fixed-scale string for the wire and for SQL, e.g. `money(x, 7)` → "12.5000000". */
export const toScale = (value: Decimal, scale: number): string => value.toFixed(scale);

const SEVEN_DIGITS = /^-?[0-9]+\.[0-9]{7}$/;

/**
 * A numeric column's text at 7 decimal places, for the wire. A numeric(p, 7) column's text
 * already is (Postgres writes every digit of the scale), so it is returned as read: a page of
 * allocations has 600 amounts, and a Decimal for each is most of the page's CPU time.
 */
export const numericText7 = (value: string): string => (SEVEN_DIGITS.test(value) ? value : new Decimal(value).toFixed(7));
