import { createHook } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { readByKey } from '../../shared/db/keyset';
import { readPage } from '../../shared/http/cursor';

const keyOf = (row: { id: string }) => ({ id: row.id });
const rowsOf = (count: number) => Array.from({ length: count }, (_, index) => ({ id: String(index).padStart(4, '0') }));

/** Promises created while `work` runs: each costs a request its async context's bookkeeping. */
async function promisesCreatedBy(work: () => Promise<unknown>): Promise<number> {
  let created = 0;
  const hook = createHook({ init: (_id, type) => void (type === 'PROMISE' && (created += 1)) }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return created;
}

describe('reading a page', () => {
  // An async iteration step per row made a 100-row page create hundreds of promises.
  it('takes each call’s rows at once: its promises do not grow with its rows', async () => {
    const page = (count: number) => () =>
      readPage(readByKey({ limit: count }, 500, keyOf, async () => rowsOf(count)), count, (row) => row, keyOf);

    await page(10)(); // first-call costs apart
    const small = await promisesCreatedBy(page(10));
    const large = await promisesCreatedBy(page(400));

    expect(large).toBe(small);
  });
});
