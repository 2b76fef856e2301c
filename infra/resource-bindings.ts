import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { type QueueName, queues } from '../functions/workers';
import type { ResourceUse } from '../shared/http/route';
import type { AppFunction } from './constructs/app-function';
import type { Database } from './constructs/database';
import type { WorkQueue } from './constructs/work-queue';

/** The AWS resources functions may use, by what the route and worker tables call them. */
export interface BindableResources {
  database: Database;
  queues: Record<QueueName, WorkQueue>;
  /** The redemption workflow; absent while its own steps are being bound. */
  redemptionWorkflow?: IStateMachine;
  /** The stage's EventBridge bus, where domain events go. */
  eventBus: IEventBus;
  /** The SNS topic that tells approvers what waits for them. */
  approversTopic: ITopic;
}

type Bind = (fn: AppFunction, resources: BindableResources) => void;
type QueueUse = (typeof queues)[QueueName]['use'];

function redemptionWorkflow(resources: BindableResources): IStateMachine {
  if (resources.redemptionWorkflow === undefined) {
    throw new Error('A step of the redemption workflow cannot use the workflow itself');
  }
  return resources.redemptionWorkflow;
}

const queueSenders = Object.fromEntries(
  (Object.keys(queues) as QueueName[]).map((name): [QueueUse, Bind] => [
    queues[name].use,
    (fn, resources) => fn.bindQueueSender(resources.queues[name], queues[name].envVar),
  ]),
) as Record<QueueUse, Bind>;

const binders: Record<ResourceUse, Bind> = {
  database: (fn, resources) => fn.bindDatabase(resources.database),
  ...queueSenders,
  'redemption-workflow:start': (fn, resources) => fn.bindWorkflowStarter(redemptionWorkflow(resources)),
  'redemption-workflow:decide': (fn, resources) => fn.bindWorkflowDecider(redemptionWorkflow(resources)),
  'redemption-workflow:describe': (fn, resources) => fn.bindWorkflowReader(redemptionWorkflow(resources)),
  'event-bus': (fn, resources) => fn.bindEventBus(resources.eventBus),
  'approvers-topic': (fn, resources) => fn.bindApproversTopic(resources.approversTopic),
};

/**
 * Gives a function exactly the resources its table entry declares in `uses`: their
 * environment variables and the permissions to use them, nothing else.
 */
export function bindUses(fn: AppFunction, uses: readonly ResourceUse[], resources: BindableResources): void {
  for (const use of new Set(uses)) binders[use](fn, resources);
}
