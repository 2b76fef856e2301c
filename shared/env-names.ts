/**
 * The environment variables infrastructure sets on functions (infra/constructs/app-function.ts)
 * and shared/config.ts reads: one table, so the two cannot drift apart. The queue URLs' names are
 * in the queue table (shared/queue/queues.ts).
 *
 * @example process.env[ENV_NAMES.eventBusName]
 */
export const ENV_NAMES = {
  dbClusterArn: 'DB_CLUSTER_ARN',
  dbSecretArn: 'DB_SECRET_ARN',
  dbName: 'DB_NAME',
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  redemptionStateMachineArn: 'REDEMPTION_STATE_MACHINE_ARN',
  eventBusName: 'EVENT_BUS_NAME',
  approversTopicArn: 'APPROVERS_TOPIC_ARN',
  dualControl: 'DUAL_CONTROL',
} as const;
