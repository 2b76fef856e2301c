import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { logger } from '../../shared/logger';
import { apiErrors } from './api-errors';
import type { ExecutionRecord, ExecutionStore, TaskAnswer } from './execution-store';
import { type AslDefinition, type AslState, runOneState } from './one-state';
import { checkTimers, LONGEST_TIMER_SECONDS, timerAt } from './timers';

export interface ExecutionsOptions {
  stateMachineArn: string;
  definition: AslDefinition;
  store: ExecutionStore;
  /**
   * Runs a Task state's resource with the state's processed input (for a callback task, its
   * token is in that input) and returns the task's result.
   */
  invokeTask(state: AslState, input: unknown): Promise<unknown>;
}

export interface ExecutionStart {
  executionArn: string;
  startDate: Date;
}

const isCallbackTask = (state: AslState | undefined) => state?.Type === 'Task' && String(state.Resource).endsWith('.waitForTaskToken');

// AWS: 1 to 80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or control characters.
const VALID_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/**
 * The executions of one Standard state machine: started, driven state by state, stopped, and
 * answered through their task tokens, with every transition recorded in the store before the next
 * state begins. `resume()` picks up the executions a previous process left RUNNING: each runs
 * again the state it was in (steps are idempotent; Lambda retries them the same way), with the
 * state's recorded entry time, input and task token, so a Task's TimeoutSeconds still counts
 * from when the state was first entered.
 */
export function localExecutions(options: ExecutionsOptions) {
  // Validates the whole definition once; each state then runs on its own.
  new StateMachine(options.definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  checkTimers(options.definition);
  const { store, stateMachineArn } = options;
  const stateMachineName = stateMachineArn.split(':').at(-1) ?? '';
  const executionPrefix = stateMachineArn.replace(':stateMachine:', ':execution:');

  const active = new Map<string, { abort(): void }>();
  const timeouts = new Map<string, { clear(): void }>();
  const waiting = new Map<string, (answer: TaskAnswer) => void>();
  const driving = new Set<Promise<void>>();
  let closed = false;

  const definitionOf = (execution: ExecutionRecord) => JSON.parse(execution.definition) as AslDefinition;

  /** When a callback task's answer is due: TimeoutSeconds after the state was entered. */
  function deadlineOf(execution: ExecutionRecord): number | undefined {
    const state = execution.state && definitionOf(execution).States[execution.state.name];
    if (execution.state === undefined || typeof state?.TimeoutSeconds !== 'number') return undefined;
    return execution.state.enteredAt.getTime() + state.TimeoutSeconds * 1000;
  }

  const settle = (answer: TaskAnswer): unknown => {
    if ('output' in answer) return JSON.parse(answer.output);
    const failure = new Error(answer.cause ?? '');
    failure.name = answer.error ?? '';
    throw failure;
  };

  /** The callback half of a `.waitForTaskToken` task: an answer given before a restart is kept. */
  function answerFor(token: string): Promise<unknown> {
    const answer = store.token(token)?.answer;
    if (answer !== undefined) return Promise.resolve().then(() => settle(answer));
    return new Promise((resolve, reject) => {
      waiting.set(token, (given) => {
        try {
          resolve(settle(given));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  function runState(execution: ExecutionRecord & { state: NonNullable<ExecutionRecord['state']> }) {
    const definition = definitionOf(execution);
    const { state } = execution;
    const stateDefinition = definition.States[state.name] as AslState;
    const elapsedMs = Date.now() - state.enteredAt.getTime();
    let timeoutSeconds: number | undefined;
    if (stateDefinition.Type === 'Task') {
      // What is left of the timeout since the state's entry. A Task without TimeoutSeconds has no
      // limit on AWS, for which Node's longest timer stands in (the library's default is 60 s).
      const declared = stateDefinition.TimeoutSeconds;
      if (declared !== undefined) timeoutSeconds = Math.max(1, Math.ceil(declared * 1000 - elapsedMs)) / 1000;
      else if (stateDefinition.TimeoutSecondsPath === undefined) timeoutSeconds = LONGEST_TIMER_SECONDS;
    }
    const waitMs = stateDefinition.Type === 'Wait' && stateDefinition.Seconds !== undefined ? Math.max(0, stateDefinition.Seconds * 1000 - elapsedMs) : undefined;
    // A run that was stopped or abandoned starts nothing more (the library may still retry the task).
    let halted = false;
    const never = () => new Promise<never>(() => {});
    const task = async (input: unknown) => {
      if (halted) return never();
      if (state.token === undefined) return options.invokeTask(stateDefinition, input);
      // An answer recorded before a restart stands (it settles before the state's timer can fire).
      if (store.token(state.token)?.answer === undefined) await options.invokeTask(stateDefinition, input);
      return halted ? never() : answerFor(state.token);
    };
    const run = runOneState(definition, state.name, JSON.parse(state.input), {
      context: {
        Execution: { Id: execution.arn, Name: execution.name, Input: JSON.parse(execution.input), StartTime: execution.startDate.toISOString() },
        StateMachine: { Id: stateMachineArn, Name: stateMachineName },
        State: { Name: state.name, EnteredTime: state.enteredAt.toISOString(), RetryCount: 0 },
        ...(state.token === undefined ? {} : { Task: { Token: state.token } }),
      },
      task: stateDefinition.Type === 'Task' ? task : undefined,
      timeoutSeconds,
      waitMs,
    });
    return {
      outcome: run.outcome,
      abort: () => {
        halted = true;
        run.abort();
      },
    };
  }

  async function drive(arn: string) {
    for (;;) {
      if (closed) return;
      const execution = store.find(arn);
      if (execution?.status !== 'RUNNING' || execution.state === undefined) return;
      const run = runState(execution as typeof execution & { state: NonNullable<ExecutionRecord['state']> });
      active.set(arn, run);
      const outcome = await run.outcome;
      active.delete(arn);
      if (outcome === undefined || closed) return;
      const now = new Date();
      if (outcome.kind === 'next') {
        const token = isCallbackTask(definitionOf(execution).States[outcome.state]) ? randomUUID() : undefined;
        store.transition(arn, { name: outcome.state, input: JSON.stringify(outcome.output), enteredAt: now, token });
      } else {
        if (outcome.kind === 'succeeded') store.end(arn, { status: 'SUCCEEDED', stopDate: now, output: JSON.stringify(outcome.output) });
        else {
          logger.error('Local workflow execution failed', { execution: execution.name, error: outcome.error, cause: outcome.cause });
          store.end(arn, { status: 'FAILED', stopDate: now, error: outcome.error, cause: outcome.cause });
        }
        timeouts.get(arn)?.clear();
      }
    }
  }

  /** Ends the execution's run in this process after the store has closed it (stopped, timed out). */
  function halt(arn: string) {
    active.get(arn)?.abort();
    timeouts.get(arn)?.clear();
  }

  function follow(execution: ExecutionRecord) {
    const { TimeoutSeconds } = definitionOf(execution);
    if (TimeoutSeconds !== undefined) {
      // AWS ends it TIMED_OUT at exactly startDate + TimeoutSeconds, with no error and no cause.
      const deadline = execution.startDate.getTime() + TimeoutSeconds * 1000;
      const timeOut = () => {
        if (store.end(execution.arn, { status: 'TIMED_OUT', stopDate: new Date(deadline) })) halt(execution.arn);
      };
      timeouts.set(execution.arn, timerAt(deadline, timeOut));
    }
    const done = drive(execution.arn)
      .catch((error: unknown) => logger.error('Local workflow execution stopped being driven', { execution: execution.name, error }))
      .finally(() => driving.delete(done));
    driving.add(done);
  }

  function answer(token: string, given: TaskAnswer) {
    const record = store.token(token);
    if (record === undefined) throw apiErrors.invalidToken();
    const execution = store.find(record.executionArn);
    const deadline = execution && deadlineOf(execution);
    if (record.closed || (deadline !== undefined && Date.now() >= deadline)) throw apiErrors.taskTimedOut();
    if (!store.answer(token, given, new Date())) throw apiErrors.taskTimedOut();
    waiting.get(token)?.(given);
    waiting.delete(token);
  }

  const arnOf = (name: string) => `${executionPrefix}:${name}`;

  function describe(arn: string): ExecutionRecord {
    const execution = store.find(arn);
    if (execution === undefined) throw apiErrors.executionDoesNotExist(arn);
    return execution;
  }

  return {
    stateMachineArn,
    arnOf,

    /** StartExecution: the name is an idempotency key for as long as the execution runs, and stays taken after. */
    start(name: string, input: string): ExecutionStart {
      if (!VALID_NAME.test(name)) throw apiErrors.invalidName(name);
      try {
        JSON.parse(input);
      } catch (error) {
        throw apiErrors.invalidExecutionInput((error as Error).message);
      }
      const arn = arnOf(name);
      const existing = store.find(arn);
      if (existing !== undefined) {
        if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: existing.startDate };
        throw apiErrors.executionAlreadyExists(arn);
      }
      const startDate = new Date();
      const startAt = options.definition.StartAt;
      const token = isCallbackTask(options.definition.States[startAt]) ? randomUUID() : undefined;
      const execution = { arn, name, definition: JSON.stringify(options.definition), input, status: 'RUNNING' as const, startDate };
      store.insert({ ...execution, state: { name: startAt, input, enteredAt: startDate, token } });
      follow(execution);
      return { executionArn: arn, startDate };
    },

    describe,

    /** StopExecution: a running execution ends ABORTED with the given error and cause; a closed one is left as it is. */
    stop(arn: string, reason: { error?: string; cause?: string }): Date {
      describe(arn);
      const stopDate = new Date();
      if (store.end(arn, { status: 'ABORTED', stopDate, error: reason.error, cause: reason.cause })) halt(arn);
      return stopDate;
    },

    sendTaskSuccess: (token: string, output: string) => answer(token, { output }),
    sendTaskFailure: (token: string, failure: { error?: string; cause?: string }) => answer(token, failure),

    /** Drives again every execution a previous process left RUNNING. */
    resume() {
      for (const execution of store.running()) follow(execution);
    },

    /** Resolves once every execution driven here has ended (one waiting for a task's answer keeps it waiting). */
    async settled() {
      while (driving.size > 0) await Promise.allSettled([...driving]);
    },

    /** Stops driving, recording nothing more: what is RUNNING stays so for the next process to resume. */
    close() {
      closed = true;
      for (const run of active.values()) run.abort();
      for (const timer of timeouts.values()) timer.clear();
      waiting.clear();
    },
  };
}

export type LocalExecutions = ReturnType<typeof localExecutions>;
