/**
 * An error the Step Functions API answers with (HTTP 400). `type` is what the AWS SDK reads from
 * `__type` and becomes the thrown error's `name`; the messages are worded as AWS words them.
 */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const error = (type: string, message: string) => new StepFunctionsApiError(type, message);

export const apiErrors = {
  executionDoesNotExist: (arn: string) => error('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) => error('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  stateMachineDoesNotExist: (arn: string) => error('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  invalidArn: (arn: string) => error('InvalidArn', `Invalid Arn: '${arn}'`),
  invalidName: (name: string) => error('InvalidName', `Invalid Name: '${name}'`),
  invalidExecutionInput: (reason: string) => error('InvalidExecutionInput', `Invalid Execution Input: '${reason}'`),
  invalidOutput: (reason: string) => error('InvalidOutput', `Invalid Output: '${reason}'`),
  invalidToken: () => error('InvalidToken', "Invalid Token: 'Invalid token'"),
  /** A token whose task timed out, was answered already, or whose execution ended. */
  taskTimedOut: () => error('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  unknownOperation: (operation: string) => error('UnknownOperationException', `${operation} is not supported by the local endpoint`),
};
