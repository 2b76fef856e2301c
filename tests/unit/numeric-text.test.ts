import { describe, expect, it } from 'vitest';
import { Decimal, numericText7 } from '../../shared/decimal';

describe("a numeric column's text at 7 places", () => {
  it.each(['0.0000000', '12.5000000', '-3.1000000', '99999999999999999999999.9999999', '12.5', '7', '-0.25', '1.123456789', 'NaN'])(
    'is what Decimal would write (%s)',
    (text) => {
      expect(numericText7(text)).toBe(new Decimal(text).toFixed(7));
    },
  );
});
