import type { RedemptionWorkflowStep } from '../../functions/workflow';

/**
 * Errors the steps raise on purpose, none of them retried. The definition routes rejections to
 * the Reject state; RedemptionFailed (a permanent error, the request already marked failed)
 * ends the execution failed.
 */
export const WORKFLOW_ERRORS = {
  rejected: 'RedemptionRejected',
  invalid: 'RedemptionInvalid',
  fundsUnavailable: 'RedemptionFundsUnavailable',
  failed: 'RedemptionFailed',
} as const;

const APPROVAL_STATE = 'WaitForApproval';

// Every step is idempotent, so a failure that is not a decision (a dropped connection, a throttled
// Lambda) is retried; the errors that are decisions are not.
const retryTransient = [
  { ErrorEquals: Object.values(WORKFLOW_ERRORS), MaxAttempts: 0 },
  { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2 },
];

const toReject = (from: string) => ({
  ErrorEquals: [WORKFLOW_ERRORS.rejected, WORKFLOW_ERRORS.invalid, WORKFLOW_ERRORS.fundsUnavailable],
  ResultPath: '$.failure',
  Next: 'Reject',
  Comment: `Rejections raised by ${from}`,
});

/**
 * The redemption approval workflow (Amazon States Language), built once: infrastructure deploys
 * it with the step functions' ARNs, and the local stack runs the same definition with
 * aws-local-stepfunctions.
 *
 * Validate → WaitForApproval (a human decides through the API; the task token waits up to
 * `approvalTimeoutSeconds`) → Execute. A rejection, an invalid request or missing funds go to
 * Reject; the approval timing out goes to Expire. Every step is idempotent.
 */
export function redemptionWorkflowDefinition(
  functionArns: Record<RedemptionWorkflowStep, string>,
  options: { approvalTimeoutSeconds: number },
) {
  return {
    Comment: 'Redemption approval: validate, wait for a human decision, then execute or reject',
    StartAt: 'Validate',
    States: {
      Validate: {
        Type: 'Task',
        Resource: functionArns.validate,
        Parameters: { 'redemption_id.$': '$.redemption_id' },
        ResultPath: null,
        Retry: retryTransient,
        Catch: [toReject('validation')],
        Next: APPROVAL_STATE,
      },
      [APPROVAL_STATE]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: functionArns.awaitApproval,
          Payload: {
            'redemption_id.$': '$.redemption_id',
            'task_token.$': '$$.Task.Token',
            'entered_at.$': '$$.State.EnteredTime',
            timeout_seconds: options.approvalTimeoutSeconds,
          },
        },
        TimeoutSeconds: options.approvalTimeoutSeconds,
        ResultPath: '$.decision',
        Retry: retryTransient,
        Catch: [toReject('the approver'), { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Expire' }],
        Next: 'Execute',
      },
      Execute: {
        Type: 'Task',
        Resource: functionArns.execute,
        Parameters: { 'redemption_id.$': '$.redemption_id' },
        ResultPath: '$.result',
        Retry: retryTransient,
        Catch: [toReject('execution')],
        End: true,
      },
      Reject: {
        Type: 'Task',
        Resource: functionArns.reject,
        Parameters: { 'redemption_id.$': '$.redemption_id', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
        ResultPath: '$.result',
        Retry: retryTransient,
        End: true,
      },
      Expire: {
        Type: 'Task',
        Resource: functionArns.reject,
        Parameters: { 'redemption_id.$': '$.redemption_id', error: 'States.Timeout', cause: 'The approval window closed' },
        ResultPath: '$.result',
        Retry: retryTransient,
        End: true,
      },
    },
  };
}

export type RedemptionWorkflowDefinition = ReturnType<typeof redemptionWorkflowDefinition>;
