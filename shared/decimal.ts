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
