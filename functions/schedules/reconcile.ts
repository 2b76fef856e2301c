import { redemptionStateMachineArn } from '../../shared/config';
import { getDb } from '../../shared/db/client';
import { publishReport } from '../../shared/reconcile/publish-report';
import { reconcile } from '../../shared/reconcile/reconcile';
import { scheduledHandler } from '../../shared/schedules/scheduled-handler';
import { describeExecution, executionArnOf } from '../../shared/workflow/step-functions';

/** The reconciler waits this long at most for Step Functions to describe one execution. */
const DESCRIBE_TIMEOUT_MS = 5_000;

/** Every five minutes: heals or reports work that waits past its time, ends dual-control proposals past their window, and deletes expired idempotency records (functions/schedules/index.ts). */
export const handler = scheduledHandler('reconcile', async () => {
  const report = await reconcile(getDb(), {
    now: new Date(),
    describe: (name) => describeExecution(executionArnOf(redemptionStateMachineArn(), name), { abortSignal: AbortSignal.timeout(DESCRIBE_TIMEOUT_MS) }),
  });
  publishReport(report);
});
