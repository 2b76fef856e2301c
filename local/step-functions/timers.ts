import type { AslDefinition } from './one-state';

// Node's timers stop at 2^31-1 ms (24.8 days); a longer one fires after 1 ms.
export const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Refuses a Task's TimeoutSeconds or a Wait's Seconds longer than Node can time (the library would fire it at once). */
export function checkTimers(definition: AslDefinition): void {
  for (const [name, state] of Object.entries(definition.States)) {
    for (const field of ['TimeoutSeconds', 'Seconds'] as const) {
      const seconds = state[field];
      if (typeof seconds === 'number' && seconds > LONGEST_TIMER_SECONDS) {
        throw new Error(`${name}.${field} is ${seconds} s; the local Step Functions can time at most ${LONGEST_TIMER_SECONDS} s (24.8 days)`);
      }
    }
  }
}

/** Calls `fire` at `at` (epoch ms), however far away. */
export function timerAt(at: number, fire: () => void): { clear(): void } {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = at - Date.now();
    timer = wait > LONGEST_TIMER_SECONDS * 1000 ? setTimeout(arm, LONGEST_TIMER_SECONDS * 1000) : setTimeout(fire, Math.max(0, wait));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
