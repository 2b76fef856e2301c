import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../shared/redemptions/workflow-steps';

describe('the words of a failure that reached the Reject state', () => {
  it.each([
    ['an approver’s reason, as given', 'The NAV is being restated', 'The NAV is being restated'],
    [
      'a step’s Lambda error, its message without the trace',
      JSON.stringify({ errorMessage: 'The treasury cannot fund it', errorType: 'RedemptionFundsUnavailable', trace: ['RedemptionFundsUnavailable: …', '    at execute (/var/task/index.mjs:1:2)'] }),
      'The treasury cannot fund it',
    ],
    ['JSON that is not a Lambda error, as it is', '{"reason":"x"}', '{"reason":"x"}'],
  ])('keeps %s', (_what, cause, message) => {
    expect(failureMessage(cause)).toBe(message);
  });
});
