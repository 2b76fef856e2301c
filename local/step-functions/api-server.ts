import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrors, StepFunctionsApiError } from './api-errors';
import type { ExecutionRecord } from './execution-store';
import type { LocalExecutions } from './executions';

type Body = Record<string, unknown>;

async function readJson(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

// Timestamps travel as epoch seconds in the AWS JSON protocol.
const epochSeconds = (date: Date) => date.getTime() / 1000;
const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

const EXECUTION_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
const STATE_MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;

function executionArnOf(body: Body): string {
  const arn = String(body.executionArn ?? '');
  if (!EXECUTION_ARN.test(arn)) throw apiErrors.invalidArn(arn);
  return arn;
}

/** DescribeExecution's answer: error, cause and output appear only when the execution has them, as on AWS. */
function describeOutput(execution: ExecutionRecord, stateMachineArn: string) {
  return {
    executionArn: execution.arn,
    stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    stopDate: execution.stopDate === undefined ? undefined : epochSeconds(execution.stopDate),
    input: execution.input,
    inputDetails: { included: true },
    output: execution.output,
    outputDetails: execution.output === undefined ? undefined : { included: true },
    error: execution.error,
    cause: execution.cause,
  };
}

/**
 * The Step Functions API (AWS JSON 1.0 protocol, what the AWS SDK speaks) for one state machine's
 * executions: StartExecution, DescribeExecution, StopExecution, SendTaskSuccess, SendTaskFailure.
 */
export async function serveStepFunctionsApi(executions: LocalExecutions, options: { port?: number }) {
  const { stateMachineArn } = executions;
  const operations: Record<string, (body: Body) => unknown> = {
    StartExecution: (body) => {
      const target = String(body.stateMachineArn ?? '');
      if (!STATE_MACHINE_ARN.test(target)) throw apiErrors.invalidArn(target);
      if (target !== stateMachineArn) throw apiErrors.stateMachineDoesNotExist(target);
      const started = executions.start(text(body.name) ?? randomUUID(), text(body.input) ?? '{}');
      return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
    },
    DescribeExecution: (body) => describeOutput(executions.describe(executionArnOf(body)), stateMachineArn),
    StopExecution: (body) => ({ stopDate: epochSeconds(executions.stop(executionArnOf(body), { error: text(body.error), cause: text(body.cause) })) }),
    SendTaskSuccess: (body) => {
      const output = String(body.output ?? '');
      try {
        JSON.parse(output);
      } catch (error) {
        throw apiErrors.invalidOutput((error as Error).message);
      }
      executions.sendTaskSuccess(String(body.taskToken ?? ''), output);
      return {};
    },
    SendTaskFailure: (body) => {
      executions.sendTaskFailure(String(body.taskToken ?? ''), { error: text(body.error), cause: text(body.cause) });
      return {};
    },
  };

  const server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      const operation = operations[target];
      if (operation === undefined) throw apiErrors.unknownOperation(target);
      reply(200, await operation(await readJson(request)));
    } catch (error) {
      if (error instanceof StepFunctionsApiError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
