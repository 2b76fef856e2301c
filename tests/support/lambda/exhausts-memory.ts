/** Test function: allocates until its environment's memory runs out. */
export async function handler(): Promise<never> {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(1));
}
