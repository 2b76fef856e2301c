import { WORKFLOW_ERRORS } from './workflow-definition';

/** An error a step raises on purpose; its name is the error the state machine catches. */
export class WorkflowStepError extends Error {
  constructor(name: (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS], message: string) {
    super(message);
    this.name = name;
  }
}

/** The request has been marked failed with this reason: nothing is left to retry. */
export class RedemptionFailedError extends WorkflowStepError {
  constructor(reason: string) {
    super(WORKFLOW_ERRORS.failed, reason);
  }
}
