/**
 * A construct id from a table key or a folder name: `planRedemption` → `PlanRedemption`,
 * `lp-tokens` → `LpTokens`.
 */
export const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');

/** A worker's construct id: the id it was deployed under if its key was renamed since, else its key's. */
export const workerConstructId = (name: string, worker: { deployedId?: string }): string => worker.deployedId ?? pascalCase(name);
