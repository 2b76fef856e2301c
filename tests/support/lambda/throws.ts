/** Test function: fails with an error nobody catches. */
export async function handler(): Promise<never> {
  throw new RangeError('thrown on purpose');
}
