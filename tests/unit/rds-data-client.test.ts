import { describe, expect, it, vi } from 'vitest';
import { retryWhileResuming } from '../../shared/db/rds-data-client';

class Resuming extends Error {}
const isResuming = (error: unknown) => error instanceof Resuming;

describe('calls to a database that is resuming from auto-pause', () => {
  it('are retried after each wait until the database answers', async () => {
    const call = vi.fn().mockRejectedValueOnce(new Resuming()).mockRejectedValueOnce(new Resuming()).mockResolvedValue('rows');

    await expect(retryWhileResuming(call, isResuming, [1, 1, 1])).resolves.toBe('rows');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('fail with the last error once the waits are used up', async () => {
    const call = vi.fn().mockRejectedValue(new Resuming('still resuming'));

    await expect(retryWhileResuming(call, isResuming, [1, 1])).rejects.toThrow('still resuming');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('are not retried for any other error', async () => {
    const call = vi.fn().mockRejectedValue(new Error('syntax error'));

    await expect(retryWhileResuming(call, isResuming, [1, 1])).rejects.toThrow('syntax error');
    expect(call).toHaveBeenCalledTimes(1);
  });
});
