import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { messagesToRetry } from '../../local/event-source';

const records = ['m1', 'm2', 'm3'].map((messageId) => ({ messageId }) as SQSRecord);
const succeeded = (payload: unknown) => ({ requestId: 'r', ok: true as const, payload });

describe('messagesToRetry: which messages of a batch go back to the queue (ReportBatchItemFailures)', () => {
  it.each([
    { case: 'no response', payload: null, retried: [] },
    { case: 'an empty response', payload: {}, retried: [] },
    { case: 'an empty failure list', payload: { batchItemFailures: [] }, retried: [] },
    { case: 'a null failure list', payload: { batchItemFailures: null }, retried: [] },
    { case: 'the failures reported', payload: { batchItemFailures: [{ itemIdentifier: 'm2' }] }, retried: ['m2'] },
    { case: 'an unknown message id', payload: { batchItemFailures: [{ itemIdentifier: 'm9' }] }, retried: ['m1', 'm2', 'm3'] },
    { case: 'an empty message id', payload: { batchItemFailures: [{ itemIdentifier: '' }] }, retried: ['m1', 'm2', 'm3'] },
    { case: 'a null message id', payload: { batchItemFailures: [{ itemIdentifier: null }] }, retried: ['m1', 'm2', 'm3'] },
    { case: 'a misspelt key', payload: { batchItemFailures: [{ itemIdentifer: 'm2' }] }, retried: ['m1', 'm2', 'm3'] },
    { case: 'a response that is not an object', payload: 'done', retried: ['m1', 'm2', 'm3'] },
  ])('after $case: $retried', ({ payload, retried }) => {
    expect([...messagesToRetry(succeeded(payload), records)]).toEqual(retried);
  });

  it('retries the whole batch after a function error (a throw or a timeout)', () => {
    const failed = { requestId: 'r', ok: false as const, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } };

    expect([...messagesToRetry(failed, records)]).toEqual(['m1', 'm2', 'm3']);
  });
});
