import { describe, expect, it } from 'vitest';
import { tableWidths } from '../../shared/db/table-widths';
import { Decimal } from '../../shared/decimal';
import {
  asText,
  CUT_REMAINDER,
  beyond,
  DISTRIBUTION_AMOUNT,
  DISTRIBUTION_SUMS,
  LP_TOKENS,
  maxText,
  NAV_PER_TOKEN,
  NGNTS,
  OWNERSHIP_PERCENTAGE,
  type Quantity,
  sqlType,
} from '../../shared/quantities';
import expectedSchema from '../../shared/setup/expected-schema.json';

/** Which quantity every numeric column of the schema keeps: a new one has to be given one. */
const COLUMNS: Record<string, Quantity> = {
  'lp_token_movements.amount': LP_TOKENS,
  'lp_token_balances.lp_tokens_allocated': LP_TOKENS,
  'projects.lp_tokens_issued': LP_TOKENS,
  'distribution_allocations.lp_tokens_held': LP_TOKENS,
  'distribution_events.snapshot_total_lp_tokens': LP_TOKENS,
  'redemption_requests.tokens_amount': LP_TOKENS,
  'projects.current_nav_per_token': NAV_PER_TOKEN,
  'project_nav_history.nav_per_token': NAV_PER_TOKEN,
  'distribution_events.snapshot_nav': NAV_PER_TOKEN,
  'redemption_requests.nav_snapshot': NAV_PER_TOKEN,
  'distribution_events.total_amount': DISTRIBUTION_AMOUNT,
  'distribution_events.total_allocated': DISTRIBUTION_AMOUNT,
  'distribution_events.total_withdrawn': DISTRIBUTION_AMOUNT,
  'distribution_events.total_pending': DISTRIBUTION_AMOUNT,
  'distribution_allocations.allocated_amount': DISTRIBUTION_AMOUNT,
  'distribution_allocations.withdrawn_amount': DISTRIBUTION_AMOUNT,
  'distribution_allocations.pending_amount': DISTRIBUTION_AMOUNT,
  'distribution_allocations.available_amount': DISTRIBUTION_AMOUNT,
  'withdrawal_requests.amount': DISTRIBUTION_AMOUNT,
  'project_cashflows.amount_ngnts': NGNTS,
  'treasury_pool_transactions.amount_ngnts': NGNTS,
  'platform_wallets.min_reserve_threshold': NGNTS,
  'redemption_requests.redemption_value_ngnts': NGNTS,
  'distribution_allocations.ownership_percentage': OWNERSHIP_PERCENTAGE,
  'distribution_cut_candidates.remainder': CUT_REMAINDER,
};

const numericColumns = Object.entries(expectedSchema.columns as Record<string, string>).filter(([, type]) => type.startsWith('numeric'));

describe('one type per quantity', () => {
  it('gives every numeric column of the schema a quantity', () => {
    expect(numericColumns.map(([column]) => column).sort()).toEqual(Object.keys(COLUMNS).sort());
  });

  it.each(numericColumns)('%s has its quantity’s type, and its width', (column, type) => {
    const quantity = COLUMNS[column] as Quantity;
    expect(type.replace(/ not null$/, '')).toBe(sqlType(quantity).replace(' ', ''));
    const [table, name] = column.split('.') as [keyof typeof tableWidths, string];
    expect((tableWidths[table] as Record<string, unknown>)[name]).toEqual({ maxChars: quantity.precision + (quantity.scale > 0 ? 2 : 1), typeName: 'numeric' });
  });
});

describe('the limits', () => {
  it.each([
    { quantity: LP_TOKENS, max: '99999999999999999999999.9999999' },
    { quantity: DISTRIBUTION_AMOUNT, max: '9999999999999.9999999' },
    { quantity: NGNTS, max: '9999999999999999999999999999.99' },
    { quantity: NAV_PER_TOKEN, max: '9999999999999999999999.99999999' },
    { quantity: OWNERSHIP_PERCENTAGE, max: '999.9999999' },
  ])('of $quantity.name: at most $max', ({ quantity, max }) => {
    expect(maxText(quantity)).toBe(max);
    expect(asText(quantity, '1')).toBe(new Decimal(1).toFixed(quantity.scale));
  });

  it('hold the sums over a project’s events: an integer count of the largest totals', () => {
    expect(DISTRIBUTION_AMOUNT.max.times(2 ** 31 - 1).lessThanOrEqualTo(DISTRIBUTION_SUMS.max)).toBe(true);
    expect(DISTRIBUTION_SUMS.scale).toBe(DISTRIBUTION_AMOUNT.scale);
  });

  it('count tokens and distribution amounts in the same units, as the calculation does', () => {
    expect(LP_TOKENS.scale).toBe(DISTRIBUTION_AMOUNT.scale);
  });

  it('are named in a 422 when a value is beyond them, and only then', () => {
    expect(beyond(NGNTS, NGNTS.max, () => 'too much')).toBeUndefined();
    const refusal = beyond(NGNTS, NGNTS.max.plus('0.01'), (limit) => `past ${limit}`, { balance: '1' });
    expect(refusal).toMatchObject({ status: 422, message: `past ${maxText(NGNTS)}`, extensions: { balance: '1', limit: maxText(NGNTS) } });
  });
});
