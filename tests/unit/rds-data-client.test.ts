import type { Context } from 'aws-lambda';
import * as z from '../../shared/zod';
import { describe, expect, it, vi } from 'vitest';
import { ANSWER_MARGIN_MS, RESUME_BUDGET_MS, resumeDeadline, retryWhileResuming } from '../../shared/db/rds-data-client';
import { TemporarilyUnavailableError } from '../../shared/errors';
import { runInInvocation } from '../../shared/lambda/invocation';
import { workflowStep } from '../../shared/lambda/workflow-step';
import { logInvocation } from '../../shared/logger';

class Resuming extends Error {}
const isResuming = (error: unknown) => error instanceof Resuming;
const farAway = () => Date.now() + 60_000;

describe('calls to a database that is resuming from auto-pause', () => {
  it('are retried after each wait until the database answers', async () => {
    const call = vi.fn().mockRejectedValueOnce(new Resuming()).mockRejectedValueOnce(new Resuming()).mockResolvedValue('rows');

    await expect(retryWhileResuming(call, isResuming, { waitsMs: [1, 1, 1], deadline: farAway() })).resolves.toBe('rows');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('fail with a 503 that says when to try again once the waits are used up', async () => {
    const call = vi.fn().mockRejectedValue(new Resuming('still resuming'));

    const retried = retryWhileResuming(call, isResuming, { waitsMs: [1, 1], deadline: farAway() });

    await expect(retried).rejects.toThrow(TemporarilyUnavailableError);
    await expect(retried).rejects.toMatchObject({ status: 503, retryAfterSeconds: 1, cause: expect.any(Resuming) });
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('stop at the deadline, shortening the wait that does not fit, and say when to try again', async () => {
    const call = vi.fn().mockRejectedValue(new Resuming());
    const started = Date.now();

    const retried = retryWhileResuming(call, isResuming, { waitsMs: [50, 5_000], deadline: started + 200 });

    await expect(retried).rejects.toMatchObject({ retryAfterSeconds: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('are not retried for any other error', async () => {
    const call = vi.fn().mockRejectedValue(new Error('syntax error'));

    await expect(retryWhileResuming(call, isResuming, { waitsMs: [1, 1], deadline: farAway() })).rejects.toThrow('syntax error');
    expect(call).toHaveBeenCalledTimes(1);
  });
});

describe('the time given to resumes', () => {
  it('is 30 s outside a Lambda invocation', () => {
    expect(resumeDeadline(1_000)).toBe(1_000 + RESUME_BUDGET_MS);
  });

  it.each([
    { remainingMs: 29_000, budgetMs: 29_000 - ANSWER_MARGIN_MS },
    { remainingMs: 300_000, budgetMs: RESUME_BUDGET_MS },
    { remainingMs: 1_000, budgetMs: 1_000 - ANSWER_MARGIN_MS },
  ])('is what the invocation has left less the margin to answer, at most 30 s ($remainingMs ms left)', ({ remainingMs, budgetMs }) => {
    const deadline = runInInvocation({ getRemainingTimeInMillis: () => remainingMs }, () => resumeDeadline(1_000));

    expect(deadline).toBe(1_000 + budgetMs);
  });

  it('follows each invocation on its own, however they interleave', async () => {
    const deadlineAfterAWait = (remainingMs: number) =>
      runInInvocation({ getRemainingTimeInMillis: () => remainingMs }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return resumeDeadline(0);
      });

    const deadlines = await Promise.all([deadlineAfterAWait(10_000), deadlineAfterAWait(20_000)]);

    expect(deadlines).toEqual([10_000 - ANSWER_MARGIN_MS, 20_000 - ANSWER_MARGIN_MS]);
  });

  // The handler wrappers run an invocation in logInvocation alone (one async context per request).
  it('is known in an invocation that logInvocation runs, and in a workflow step', async () => {
    const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'r', functionName: 'f' } as Context;

    const logged = await logInvocation(context, {}, async () => resumeDeadline(0));
    const step = await workflowStep('probe-step', z.unknown(), async () => resumeDeadline(0))(undefined, context);

    expect([logged, step]).toEqual([10_000 - ANSWER_MARGIN_MS, 10_000 - ANSWER_MARGIN_MS]);
  });
});
