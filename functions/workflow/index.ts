import type { ResourceUse } from '../../shared/http/route';

export interface WorkflowStepDefinition {
  /** Module exporting `handler`, invoked by a Task state of the redemption workflow. */
  handler: string;
  timeoutSeconds: number;
  uses: readonly ResourceUse[];
}

/**
 * The Lambda functions the redemption workflow's Task states invoke. Infrastructure creates one
 * function per entry and passes their ARNs to the definition; the local stack maps the same
 * entries to the same handler modules.
 */
export const redemptionWorkflowSteps = {
  validate: { handler: 'functions/workflow/validate-redemption.ts', timeoutSeconds: 30, uses: ['database'] },
  awaitApproval: { handler: 'functions/workflow/await-redemption-approval.ts', timeoutSeconds: 30, uses: ['database'] },
  execute: { handler: 'functions/workflow/execute-redemption.ts', timeoutSeconds: 60, uses: ['database'] },
  reject: { handler: 'functions/workflow/reject-redemption-from-workflow.ts', timeoutSeconds: 30, uses: ['database'] },
} as const satisfies Record<string, WorkflowStepDefinition>;

export type RedemptionWorkflowStep = keyof typeof redemptionWorkflowSteps;
