import { StateMachine } from 'aws-local-stepfunctions';

/** The parts of an Amazon States Language state this package reads or rewrites. */
export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Catch?: { Next: string; [field: string]: unknown }[];
  Choices?: { Next: string; [field: string]: unknown }[];
  Default?: string;
  TimeoutSeconds?: number;
  Seconds?: number;
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

export type StateOutcome =
  | { kind: 'next'; state: string; output: unknown }
  | { kind: 'succeeded'; output: unknown }
  | { kind: 'failed'; error: string; cause?: string };

export interface OneStateOptions {
  /** The context object (`$$`) for this state. */
  context: Record<string, unknown>;
  /** Runs the state's resource, if it is a Task, with its processed input. */
  task?: (input: unknown) => Promise<unknown>;
  /** A Task's TimeoutSeconds for this run (what is left of it after a restart). */
  timeoutSeconds?: number;
  /** How long a Wait state still has to wait, in milliseconds. */
  waitMs?: number;
}

// Exits lead to Pass states with these names; a state machine's own state names never start so.
const EXIT_PREFIX = '\u0000exit:';

/**
 * Every way out of the state (Next, End, a Catch, a Choice) is pointed at a Pass state that
 * ends the run and hands back the output with where the execution goes next.
 */
function withExits(name: string, state: AslState): AslDefinition {
  const copy = structuredClone(state);
  const exits = new Map<string, AslState>();
  const exit = (target: string | null) => {
    const stateName = `${EXIT_PREFIX}${target ?? ''}`;
    exits.set(stateName, { Type: 'Pass', Parameters: { 'output.$': '$', next: target }, End: true });
    return stateName;
  };
  if (copy.End === true) {
    delete copy.End;
    copy.Next = exit(null);
  } else if (copy.Next !== undefined) {
    copy.Next = exit(copy.Next);
  }
  for (const catcher of copy.Catch ?? []) catcher.Next = exit(catcher.Next);
  for (const choice of copy.Choices ?? []) choice.Next = exit(choice.Next);
  if (copy.Default !== undefined) copy.Default = exit(copy.Default);
  return { StartAt: name, States: { [name]: copy, ...Object.fromEntries(exits) } };
}

/**
 * Runs one state of `definition` with aws-local-stepfunctions, which does everything the state
 * itself means (InputPath, Parameters, the Task and its timeout, ResultSelector, ResultPath,
 * Retry, Catch, Choice rules), and reports where the execution goes next. Running one state at a
 * time is what lets every transition be recorded before the next state begins, an execution
 * resume at the state it was in, and each state get its own `$$.State.EnteredTime` and
 * `$$.Task.Token` (the library takes one context object for a whole run).
 *
 * `abort()` ends the run at once; `outcome` then resolves to undefined.
 */
export function runOneState(definition: AslDefinition, name: string, input: unknown, options: OneStateOptions) {
  const state = definition.States[name];
  if (state === undefined) throw new Error(`State ${name} is not in the definition`);
  const single = withExits(name, state);
  const copy = single.States[name] as AslState;
  if (options.timeoutSeconds !== undefined) copy.TimeoutSeconds = options.timeoutSeconds;
  // The definition was validated whole; this fragment allows a fractional TimeoutSeconds.
  const machine = new StateMachine(single as never, { validationOptions: { noValidate: true } });
  const run = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: options.task === undefined ? {} : { [name]: options.task as never },
      waitTimeOverrides: options.waitMs === undefined ? {} : { [name]: options.waitMs },
    },
    context: options.context,
    noThrowOnAbort: true,
  });
  let aborted = false;
  const outcome = run.result.then(
    (result): StateOutcome | undefined => {
      if (aborted) return undefined;
      if (state.Type === 'Succeed') return { kind: 'succeeded', output: result };
      const { output, next } = result as { output: unknown; next: string | null };
      return next === null ? { kind: 'succeeded', output } : { kind: 'next', state: next, output };
    },
    (error: Error): StateOutcome => {
      // The library wraps the state's error (Fail, an uncaught Task error, States.Runtime) in `cause`.
      const failure = error.cause instanceof Error ? error.cause : error;
      // Its predefined errors (States.Timeout) carry their name as message: AWS gives no cause then.
      return { kind: 'failed', error: failure.name, cause: failure.message === failure.name ? undefined : failure.message };
    },
  );
  return {
    outcome,
    abort: () => {
      aborted = true;
      run.abort();
    },
  };
}
