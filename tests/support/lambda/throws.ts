import { mapStacksOnFirstUse } from '../../../shared/source-mapped-stacks';

// As in every function, whose logger module does it: stacks name the sources, as on Lambda.
mapStacksOnFirstUse(import.meta.url);

/** Test function: fails with an error nobody catches. */
export async function handler(): Promise<never> {
  throw new RangeError('thrown on purpose');
}
