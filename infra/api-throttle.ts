/**
 * The HTTP API stage's default route throttling: each route's steady rate (requests a second) and
 * burst (its token bucket's size). `-c apiRateLimit` and `-c apiBurstLimit` override them on a
 * deploy (infra/config.ts); the local gateway throttles with the dev stage's (local/throttle.ts).
 * No CDK here: the local stack reads it too.
 */
export const API_THROTTLE = {
  dev: { rateLimit: 20, burstLimit: 40 },
  production: { rateLimit: 100, burstLimit: 200 },
} as const;

export interface ThrottleSettings {
  rateLimit: number;
  burstLimit: number;
}
