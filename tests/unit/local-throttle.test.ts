import { describe, expect, it } from 'vitest';
import { API_THROTTLE } from '../../infra/api-throttle';
import { localThrottleSettings, routeThrottle } from '../../local/throttle';
import { ConfigError } from '../../shared/config';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** How many of `count` requests at once the route admits. */
const admitted = (throttle: ReturnType<typeof routeThrottle>, routeKey: string, count: number) =>
  Array.from({ length: count }, () => throttle.admits(routeKey)).filter(Boolean).length;

describe('the local route throttle', () => {
  it('admits a burst, then refills at the rate, never past the burst', () => {
    // Prepare
    const clock = manualClock();
    const throttle = routeThrottle({ rateLimit: 2, burstLimit: 3 }, clock.now);

    // Act / Assess
    expect(admitted(throttle, 'GET /a', 5)).toBe(3);
    clock.advance(500);
    expect(admitted(throttle, 'GET /a', 5)).toBe(1);
    clock.advance(60_000);
    expect(admitted(throttle, 'GET /a', 5)).toBe(3);
  });

  it('keeps a bucket per route, as the stage’s default route settings do', () => {
    const throttle = routeThrottle({ rateLimit: 1, burstLimit: 1 }, manualClock().now);

    expect([throttle.admits('GET /a'), throttle.admits('GET /a'), throttle.admits('GET /b')]).toEqual([true, false, true]);
  });

  it('admits nothing at a burst of 0, as AWS blocks all traffic', () => {
    const throttle = routeThrottle({ rateLimit: 10, burstLimit: 0 }, manualClock().now);

    expect(throttle.admits('GET /a')).toBe(false);
  });
});

describe('the local stack’s throttling settings', () => {
  it('are the dev stage’s unless set', () => {
    expect(localThrottleSettings({})).toEqual(API_THROTTLE.dev);
    expect(localThrottleSettings({ LOCAL_API_RATE_LIMIT: '0.5', LOCAL_API_BURST_LIMIT: '1000' })).toEqual({ rateLimit: 0.5, burstLimit: 1000 });
  });

  it.each([
    { LOCAL_API_RATE_LIMIT: '-1' },
    { LOCAL_API_RATE_LIMIT: 'fast' },
    { LOCAL_API_RATE_LIMIT: '' },
    { LOCAL_API_BURST_LIMIT: '1.5' },
  ])('refuse %o with the setting named', (env) => {
    expect(() => localThrottleSettings(env)).toThrow(ConfigError);
    expect(() => localThrottleSettings(env)).toThrow(Object.keys(env)[0]!);
  });
});
