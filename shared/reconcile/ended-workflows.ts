import type { Db } from '../db/client';
import { HANDOFF_KINDS } from '../outbox/handoffs';
import { latestMessage } from '../outbox/outbox.repository';
import { failRedemption } from '../redemptions/fail-redemption';
import type { ExecutionDescription } from '../workflow/step-functions';
import { checkItem, type Findings, noFindings } from './findings';
import { ITEMS_PER_RUN, THRESHOLDS } from './thresholds';
import { overdueWorkflowRedemptions } from './waiting-work.repository';

/** Looks an execution up by name: undefined when Step Functions knows none. */
export type DescribeByName = (executionName: string) => Promise<ExecutionDescription | undefined>;

const NOTHING_MOVED = 'nothing was moved and the tokens can be redeemed again';

/** Why a request whose workflow ended without it fails, in its LP's words. */
const REASONS = {
  FAILED: `Its approval workflow failed before the redemption was completed; ${NOTHING_MOVED}`,
  TIMED_OUT: `Its approval workflow timed out; ${NOTHING_MOVED}`,
  ABORTED: `Its approval workflow was stopped by an operator; ${NOTHING_MOVED}`,
  NEVER_STARTED: `Its approval workflow could not be started; ${NOTHING_MOVED}`,
  NOT_FOUND: `Its approval workflow cannot be found (it never started, or was lost); ${NOTHING_MOVED}`,
} as const;

/**
 * Open requests whose workflow should have moved them on by now. Step Functions says where the
 * workflow is: one that failed, timed out, was aborted or never started will never finish the
 * request, so it fails with its reason (the LP's tokens are freed; nothing had moved). A start
 * or approval still in the outbox is the relay's; a workflow still running, or one that ended
 * without settling its request, is reported.
 */
export async function settleEndedWorkflows(db: Db, now: Date, describe: DescribeByName): Promise<Findings> {
  const findings = noFindings();
  const requests = await overdueWorkflowRedemptions(
    db,
    {
      startedBefore: new Date(now.getTime() - THRESHOLDS.workflowStartMs),
      expiredBefore: new Date(now.getTime() - THRESHOLDS.expiryGraceMs),
      approvedBefore: new Date(now.getTime() - THRESHOLDS.executionMs),
    },
    ITEMS_PER_RUN,
  );
  for (const request of requests) {
    await checkItem(findings, 'redemption-workflow', request.id, async () => {
      const fail = async (reason: string, details: Record<string, unknown>) => {
        if (await failRedemption(db, request.id, { reason, details: { execution_name: request.execution_name, ...details } }, now)) {
          findings.healed.push({ kind: 'redemption-failed', subjectId: request.id, detail: reason });
        }
      };
      const start = await latestMessage(db, request.id, HANDOFF_KINDS.startRedemptionWorkflow);
      if (start?.status === 'pending') return;
      if (start?.status === 'dead') return fail(REASONS.NEVER_STARTED, { start_error: start.last_error });
      if (request.status === 'processing' && (await latestMessage(db, request.id, HANDOFF_KINDS.approveRedemption))?.status === 'pending') return;

      const execution = await describe(request.execution_name ?? '');
      if (execution === undefined) return fail(REASONS.NOT_FOUND, { execution: 'does not exist' });
      switch (execution.status) {
        case 'FAILED':
        case 'TIMED_OUT':
        case 'ABORTED':
          return fail(REASONS[execution.status], { execution_status: execution.status, error: execution.error, cause: execution.cause });
        case 'SUCCEEDED':
          findings.unhealed.push({ kind: 'redemption-workflow', subjectId: request.id, detail: `the workflow succeeded but left the request ${request.status}` });
          return;
        default:
          findings.unhealed.push({ kind: 'redemption-workflow', subjectId: request.id, detail: `the workflow is ${execution.status}, overdue with the request ${request.status}` });
      }
    });
  }
  return findings;
}
