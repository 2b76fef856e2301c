/** `allocateDistribution` → `AllocateDistribution`, for construct ids made from table keys. */
export const pascalCase = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
