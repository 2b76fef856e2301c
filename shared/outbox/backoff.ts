const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 30 * 60_000;

/**
 * How long the relay waits before trying a message again after its `attempts`-th failed try:
 * 30 s, 1 min, 2 min, 4 min … never more than 30 min, each stretched by up to a fifth at random
 * so that messages that failed together do not all return together.
 *
 * @example retryDelayMs(1) // 30 000 to 36 000
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(LONGEST_WAIT_MS, exponential) * (1 + random() / 5));
}
