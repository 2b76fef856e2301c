import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IDependable } from 'constructs';
import { type RedemptionWorkflowStep, redemptionWorkflowSteps } from '../../functions/workflow';
import { redemptionWorkflowDefinition } from '../../shared/redemptions/workflow-definition';
import type { StageConfig } from '../config';
import { pascalCase } from '../naming';
import { type BindableResources, bindUses } from '../resource-bindings';
import { AppFunction, invokeVersionsFinding } from './app-function';

export interface RedemptionWorkflowProps {
  config: StageConfig;
  /** What the steps may use (their `uses` in functions/workflow/index.ts); not the workflow itself. */
  resources: BindableResources;
  /** The steps touch the database: they are updated only after this (the migrations). */
  after: IDependable;
}

/**
 * The redemption workflow: a Standard state machine running the definition of
 * shared/redemptions/workflow-definition.ts (the one the local stack runs), with one function
 * per step of functions/workflow/index.ts. Every event is logged, without execution data: the
 * approval step's input carries the task token that approves the redemption.
 */
export class RedemptionWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, { config, resources, after }: RedemptionWorkflowProps) {
    super(scope, id);
    const steps = Object.fromEntries(
      (Object.keys(redemptionWorkflowSteps) as RedemptionWorkflowStep[]).map((name) => {
        const step = redemptionWorkflowSteps[name];
        const fn = new AppFunction(this, pascalCase(name), {
          handler: step.handler,
          description: `Redemption workflow step: ${name}`,
          timeout: Duration.seconds(step.timeoutSeconds),
          config,
        });
        bindUses(fn, step.uses, resources);
        fn.node.addDependency(after);
        return [name, fn];
      }),
    ) as Record<RedemptionWorkflowStep, AppFunction>;

    const functionArns = Object.fromEntries(Object.entries(steps).map(([name, fn]) => [name, fn.functionArn]));
    const definition = redemptionWorkflowDefinition(functionArns as Record<RedemptionWorkflowStep, string>, {
      approvalTimeoutSeconds: config.redemptionApprovalTimeout.toSeconds(),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      logs: {
        destination: new LogGroup(this, 'ExecutionLogs', config.logs),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
      tracingEnabled: true,
    });

    const role = Validations.of(this.stateMachine.role);
    for (const fn of Object.values(steps)) {
      fn.grantInvoke(this.stateMachine);
      role.acknowledge({
        id: invokeVersionsFinding(fn),
        reason: "The state machine invokes this step's function and its versions (the ARN's :* suffix), nothing else.",
      });
    }
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray trace writes and CloudWatch Logs delivery management support no resource-level permissions; the actions are listed one by one.',
    });
  }
}
