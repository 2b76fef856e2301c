import { API_THROTTLE, type ThrottleSettings } from '../infra/api-throttle';
import { ConfigError } from '../shared/config';

/**
 * The HTTP API's route throttling, as its stage's default route settings apply it: a token bucket
 * per route, `burstLimit` tokens when full, refilled at `rateLimit` a second; a request takes a
 * token or is refused (429). AWS calls its throttles targets rather than exact ceilings; this one
 * is exact, so tests can rely on it.
 *
 * @example
 * const throttle = routeThrottle({ rateLimit: 20, burstLimit: 40 });
 * throttle.admits('GET /api/projects'); // true until 40 arrive at once
 */
export function routeThrottle({ rateLimit, burstLimit }: ThrottleSettings, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    admits(routeKey: string): boolean {
      const time = now();
      const bucket = buckets.get(routeKey) ?? { tokens: burstLimit, at: time };
      bucket.tokens = Math.min(burstLimit, bucket.tokens + ((time - bucket.at) / 1000) * rateLimit);
      bucket.at = time;
      buckets.set(routeKey, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}

export type RouteThrottle = ReturnType<typeof routeThrottle>;

function limitFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigError(`${name} must be ${integer ? 'a whole number' : 'a number'}, 0 or more (got ${JSON.stringify(text)})`);
  }
  return value;
}

/**
 * The local stack's throttling: the dev stage's (infra/api-throttle.ts) unless
 * LOCAL_API_RATE_LIMIT or LOCAL_API_BURST_LIMIT say otherwise.
 */
export function localThrottleSettings(env: NodeJS.ProcessEnv = process.env): ThrottleSettings {
  return {
    rateLimit: limitFrom(env, 'LOCAL_API_RATE_LIMIT', API_THROTTLE.dev.rateLimit, false),
    burstLimit: limitFrom(env, 'LOCAL_API_BURST_LIMIT', API_THROTTLE.dev.burstLimit, true),
  };
}
