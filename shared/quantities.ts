import { Decimal } from './decimal';
import { RuleViolationError } from './errors';

/**
 * Every quantity the platform keeps, each with one SQL type wherever it is stored, and the limits
 * that follow from those types. The request schemas (http/schemas.ts: decimalString), the use
 * cases' checks, the SQL casts and the read widths (db/table-widths.ts) all read them from here;
 * the migrations write the same types as literals (they never import application code), and
 * tests/unit/quantities.test.ts holds every numeric column of the schema to one of these.
 *
 * What the API checks, so that nothing it accepts can overflow a column later, in a worker or
 * a use case:
 * - each amount against its own type (a 422 naming the largest value: decimalString, parseRequest);
 * - what amounts add up to, where the sum is stored or read (a 422 naming the limit: `beyond`):
 *   the LP tokens a project has issued, ever (lp-tokens/record-movement.ts), which bounds every
 *   holder's balance at every instant and so every snapshot's Σ, every allocation's tokens held
 *   and every redemption's tokens; a redemption's value, tokens × NAV rounded down to the kobo
 *   (redemptions/request-redemption.ts); a wallet's balance after money comes in
 *   (treasury/move-funds.ts).
 * Other sums hold by construction: a distribution's allocations are each at most its total and
 * add up to it, and its withdrawals and holds stay within them (CHECK constraints); open
 * redemptions are at most the holder's balance; a funding plan's parts add up to the value.
 */
export interface Quantity {
  /** How a message names it. */
  readonly name: string;
  readonly precision: number;
  readonly scale: number;
  /** The largest value its type holds, 10^(precision − scale) − 10^−scale, e.g. 9999999999999.9999999 for numeric(20, 7). */
  readonly max: Decimal;
}

function quantity(name: string, precision: number, scale: number): Quantity {
  // 10^(p − s) − 10^−s is p nines, s of them after the point: written out, not computed (six powers at every cold start).
  const max = new Decimal(`${'9'.repeat(precision - scale)}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`);
  return Object.freeze({ name, precision, scale, max });
}

/**
 * LP tokens, numeric(30, 7): ledger movements, balances, a project's tokens issued, allocations'
 * tokens held, snapshots' totals, redemptions. Scale 7 is the distribution amounts' too: the
 * allocation calculation counts both in units of 10^-7.
 */
export const LP_TOKENS = quantity('LP tokens', 30, 7);

/**
 * A remainder of the allocation calculation, T·b mod S for a holder's balance b of S in all
 * (units of 10^-7): an integer below S, so of at most LP_TOKENS' digits; numeric(30, 0).
 */
export const CUT_REMAINDER = quantity('cut remainder', LP_TOKENS.precision, 0);

/** A distribution's money, numeric(20, 7): its total, its allocations, withdrawals and the event's totals. */
export const DISTRIBUTION_AMOUNT = quantity('distribution amount', 20, 7);

/**
 * Sums of distribution amounts across a project's events (distributions/events.repository.ts:
 * projectStats), numeric(30, 7): the count of events is an integer, and 2^31 − 1 events of the
 * largest total stay below 10^23.
 */
export const DISTRIBUTION_SUMS = quantity('sum of distribution amounts', 30, 7);

/** NGNTS in the treasury, numeric(30, 2): cashflows, transactions, wallet balances and reserves, redemption values. */
export const NGNTS = quantity('NGNTS', 30, 2);

/** NAV per token, numeric(30, 8): its history, a project's current NAV, a distribution's and a redemption's snapshot. */
export const NAV_PER_TOKEN = quantity('NAV per token', 30, 8);

/** An allocation's share of its snapshot, numeric(10, 7): 0 to 100. */
export const OWNERSHIP_PERCENTAGE = quantity('ownership percentage', 10, 7);

/** The value at its quantity's scale, for the wire, a message or SQL, e.g. `asText(LP_TOKENS, x)` → "12.5000000". */
export const asText = (quantity: Quantity, value: Decimal | string): string => new Decimal(value).toFixed(quantity.scale);

/** The SQL type, for a cast: `numeric(30, 7)`. */
export const sqlType = (quantity: Quantity): string => `numeric(${quantity.precision}, ${quantity.scale})`;

/** The largest value, as the wire writes it. */
export const maxText = (quantity: Quantity): string => asText(quantity, quantity.max);

/**
 * A 422 when `value` is past what `quantity` holds, naming the limit (`limit`, and in `detail`);
 * undefined when it fits.
 *
 * @example
 * const refusal = beyond(NGNTS, value, (limit) => `Worth ${value} NGNTS, past the most a redemption may be worth, ${limit}`);
 * if (refusal !== undefined) throw refusal;
 */
export function beyond(
  quantity: Quantity,
  value: Decimal,
  detail: (limit: string) => string,
  extensions: Record<string, unknown> = {},
): RuleViolationError | undefined {
  if (value.lessThanOrEqualTo(quantity.max)) return undefined;
  const limit = maxText(quantity);
  return new RuleViolationError(detail(limit), { ...extensions, limit });
}
