import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client';
import { newUser, type TestUser, useApi } from '../support/api';
import { createProject, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';
import { fundedWallet, setNav } from '../support/treasury-fixtures';
import { useWorkflow } from '../support/workflow';

const api = useApi();
const queues = useQueues();
const workflow = useWorkflow({ approvalTimeoutSeconds: 3600 });

const sfn = () => new SFNClient({ endpoint: workflow.endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** A redemption whose execution (started by the planning worker) waits for approval. */
async function waitingExecution() {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [lp] = (await seedHolders(api, admin, projectId, ['10'])) as [TestUser];
  await setNav(projectId, '3');
  await fundedWallet({ address: `pool-${projectId.slice(0, 8)}`, role: 'treasury_pool', balance: '1000.00' });
  const requested = await api.post('/api/redemptions', { project_id: projectId, tokens_amount: '5' }, { as: lp });
  await queues.drain('planRedemption');
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await sql<{ task_token: string | null }>`SELECT task_token FROM redemption_requests WHERE id = ${requested.body.id}::uuid`.execute(getDb());
    const token = rows[0]?.task_token;
    if (token) return { name: `redemption-${requested.body.id}`, input: JSON.stringify({ redemption_id: requested.body.id }), token };
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the execution did not reach the approval step');
}

const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => ({ name: error.name, message: error.message }));

describe('the local Step Functions API', () => {
  it('returns the running execution for the same name and input, and refuses a different input', async () => {
    // Prepare
    const { name, input } = await waitingExecution();
    const stateMachineArn = workflow.stateMachineArn();

    // Act
    const again = await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input }));
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn: again.executionArn }));
    const other = await errorOf(sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: '{"redemption_id":"other"}' })));

    // Assess
    expect(again.executionArn).toBe(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`);
    expect(again.startDate).toEqual(described.startDate);
    expect(described).toMatchObject({ status: 'RUNNING', name, input });
    expect(described.stopDate).toBeUndefined();
    expect(other).toEqual({ name: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${again.executionArn}'` });
  });

  it('stops an execution: ABORTED with the error and cause given, its token closed, its name taken for good', async () => {
    // Prepare
    const { name, input, token } = await waitingExecution();
    const stateMachineArn = workflow.stateMachineArn();
    const executionArn = workflow.describe(name)?.arn;

    // Act
    const stopped = await sfn().send(new StopExecutionCommand({ executionArn, error: 'Reconciled', cause: 'The request was withdrawn' }));
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    const answer = await errorOf(sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    await workflow.restart();
    const restarted = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    const sameAgain = await errorOf(sfn().send(new StartExecutionCommand({ stateMachineArn, name, input })));

    // Assess
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Reconciled', cause: 'The request was withdrawn', stopDate: stopped.stopDate });
    expect(answer).toEqual({ name: 'TaskTimedOut', message: "Task Timed Out: 'Provided task does not exist anymore'" });
    expect(restarted.status).toBe('ABORTED');
    expect(sameAgain?.name).toBe('ExecutionAlreadyExists');
  });

  it('answers the errors AWS answers for unknown executions and tokens', async () => {
    const unknown = `${workflow.stateMachineArn().replace(':stateMachine:', ':execution:')}:nobody`;

    expect(await errorOf(sfn().send(new DescribeExecutionCommand({ executionArn: unknown })))).toEqual({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${unknown}'`,
    });
    expect((await errorOf(sfn().send(new StopExecutionCommand({ executionArn: unknown }))))?.name).toBe('ExecutionDoesNotExist');
    expect((await errorOf(sfn().send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x' }))))?.name).toBe('InvalidArn');
    expect((await errorOf(sfn().send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' }))))?.name).toBe('InvalidToken');
  });

  it('answers the same token twice with TaskTimedOut, the first answer standing', async () => {
    // Prepare
    const { name, token } = await waitingExecution();

    // Act
    const first = await errorOf(sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approved"}' })));
    const second = await errorOf(sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approved"}' })));
    for (let attempt = 0; attempt < 100 && workflow.describe(name)?.status === 'RUNNING'; attempt++) await new Promise((done) => setTimeout(done, 50));

    // Assess: approved without the API, so Execute refuses it (not approved) and the workflow rejects it
    expect(first).toBeUndefined();
    expect(second?.name).toBe('TaskTimedOut');
    expect(workflow.describe(name)?.status).toBe('SUCCEEDED');
    expect(JSON.parse(workflow.describe(name)?.output ?? '{}').decision).toEqual({ decision: 'approved' });
  });
});
