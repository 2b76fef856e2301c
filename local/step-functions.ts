import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StateMachine } from 'aws-local-stepfunctions';
import { type RedemptionWorkflowStep, redemptionWorkflowSteps } from '../functions/workflow';
import { logger } from '../shared/logger';
import { lambdaContext } from './lambda-context';
import { APPROVAL_STATE, redemptionWorkflowDefinition, TASK_STATE_STEPS } from '../shared/redemptions/workflow-definition';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const STATE_MACHINE_NAME = 'redemption-approval';

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED';
interface Execution {
  arn: string;
  name: string;
  input: string;
  status: Status;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
}
interface WaitingTask {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface LocalStepFunctions {
  endpoint: string;
  stateMachineArn: string;
  /** Environment that points the AWS SDK and the handlers at this endpoint. */
  env: Record<string, string>;
  /** Resolves once every execution started so far has finished. */
  settled(): Promise<void>;
  describe(name: string): Execution | undefined;
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

const functionArn = (step: RedemptionWorkflowStep) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-redemption-${step}`;


async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A local Step Functions endpoint (the AWS JSON 1.0 wire protocol the SDK speaks) that runs the
 * redemption workflow's very definition with aws-local-stepfunctions: StartExecution (names are
 * idempotency keys, as on AWS), SendTaskSuccess/Failure for the task token the approval state
 * hands out, DescribeExecution. Task states invoke the same handler modules Lambda runs.
 * Executions live in memory: stopping the endpoint ends them.
 */
export async function startLocalStepFunctions(options: { port?: number; dataDir?: string; approvalTimeoutSeconds: number }): Promise<LocalStepFunctions> {
  const definition = redemptionWorkflowDefinition(
    Object.fromEntries(Object.keys(redemptionWorkflowSteps).map((step) => [step, functionArn(step as RedemptionWorkflowStep)])) as Record<
      RedemptionWorkflowStep,
      string
    >,
    { approvalTimeoutSeconds: options.approvalTimeoutSeconds },
  );
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
  const executions = new Map<string, Execution>();
  const running = new Set<Promise<unknown>>();
  const waiting = new Map<string, WaitingTask>();
  const finishedTokens = new Map<string, 'TaskTimedOut' | 'TaskDoesNotExist'>();

  const handlers = new Map<RedemptionWorkflowStep, Promise<(input: unknown, context: unknown) => Promise<unknown>>>();
  const invoke = async (step: RedemptionWorkflowStep, input: unknown) => {
    let handler = handlers.get(step);
    if (handler === undefined) {
      handler = import(pathToFileURL(resolve(REPO_ROOT, redemptionWorkflowSteps[step].handler)).href).then((m) => m.handler);
      handlers.set(step, handler);
    }
    return (await handler)(input, lambdaContext({ functionName: `local-redemption-${step}`, timeoutSeconds: redemptionWorkflowSteps[step].timeoutSeconds }));
  };

  /** The approval state: invoke its function with the token, then wait for the API's answer. */
  const waitForTaskToken = async (input: { Payload: { task_token: string } }) => {
    await invoke('awaitApproval', input.Payload);
    const token = input.Payload.task_token;
    return new Promise((resolveTask, rejectTask) => {
      // aws-local-stepfunctions times the state out itself; this only retires the token with it.
      const timer = setTimeout(() => {
        waiting.delete(token);
        finishedTokens.set(token, 'TaskTimedOut');
      }, options.approvalTimeoutSeconds * 1000);
      waiting.set(token, { resolve: resolveTask, reject: rejectTask, timer });
    });
  };

  const overrides = Object.fromEntries(
    Object.entries(TASK_STATE_STEPS).map(([state, step]) => [
      state,
      state === APPROVAL_STATE ? waitForTaskToken : (input: unknown) => invoke(step, input),
    ]),
  );

  function startExecution(body: Record<string, unknown>) {
    const name = String(body.name ?? randomUUID());
    const input = String(body.input ?? '{}');
    const existing = executions.get(name);
    if (existing !== undefined) {
      if (existing.input === input && existing.status === 'RUNNING') return { executionArn: existing.arn, startDate: existing.startDate.getTime() / 1000 };
      throw new ApiError('ExecutionAlreadyExists', `Execution already exists: '${existing.arn}'`);
    }
    const execution: Execution = {
      arn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE_NAME}:${name}`,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date(),
    };
    executions.set(name, execution);
    const run = machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: overrides as never },
      // The approval state reads its token and entry time from the context object.
      context: { Task: { Token: randomUUID() }, State: { EnteredTime: execution.startDate.toISOString() } } as never,
    });
    const done = run.result.then(
      (output) => Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: new Date() }),
      (error: Error) => {
        logger.error('Local workflow execution failed', { execution: name, error: error.message });
        Object.assign(execution, { status: 'FAILED', error: error.message, stopDate: new Date() });
      },
    );
    running.add(done);
    void done.finally(() => running.delete(done));
    return { executionArn: execution.arn, startDate: execution.startDate.getTime() / 1000 };
  }

  function answerTask(token: string, settle: (task: WaitingTask) => void) {
    const task = waiting.get(token);
    if (task === undefined) {
      const reason = finishedTokens.get(token);
      throw new ApiError(reason ?? 'InvalidToken', reason === undefined ? 'Invalid token' : `Task ${reason === 'TaskTimedOut' ? 'timed out' : 'does not exist'}`);
    }
    clearTimeout(task.timer);
    waiting.delete(token);
    finishedTokens.set(token, 'TaskDoesNotExist');
    settle(task);
    return {};
  }

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution: startExecution,
    SendTaskSuccess: (body) => answerTask(String(body.taskToken), (task) => task.resolve(JSON.parse(String(body.output ?? '{}')))),
    SendTaskFailure: (body) =>
      answerTask(String(body.taskToken), (task) => {
        const error = new Error(String(body.cause ?? ''));
        error.name = String(body.error ?? 'States.TaskFailed');
        task.reject(error);
      }),
    DescribeExecution: (body) => {
      const execution = [...executions.values()].find((e) => e.arn === body.executionArn);
      if (execution === undefined) throw new ApiError('ExecutionDoesNotExist', 'Execution does not exist');
      return {
        executionArn: execution.arn,
        stateMachineArn,
        name: execution.name,
        status: execution.status,
        input: execution.input,
        output: execution.output,
        error: execution.error,
        startDate: execution.startDate.getTime() / 1000,
        stopDate: execution.stopDate === undefined ? undefined : execution.stopDate.getTime() / 1000,
      };
    },
  };

  const server: Server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      const operation = operations[target];
      if (operation === undefined) throw new ApiError('UnknownOperationException', `${target} is not supported locally`);
      reply(200, await operation(await readJson(request)));
    } catch (error) {
      if (error instanceof ApiError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    stateMachineArn,
    env: { AWS_ENDPOINT_URL_SFN: endpoint, REDEMPTION_STATE_MACHINE_ARN: stateMachineArn },
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    describe: (name) => executions.get(name),
    stop: async () => {
      for (const task of waiting.values()) clearTimeout(task.timer);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
