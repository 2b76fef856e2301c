/**
 * A construct id from a table key or a folder name: `allocateDistribution` → `AllocateDistribution`,
 * `lp-tokens` → `LpTokens`.
 */
export const pascalCase = (name: string): string =>
  name
    .split('-')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
