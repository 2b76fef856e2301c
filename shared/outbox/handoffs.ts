import type { OutboxMessage } from './message';

/**
 * Every hand-off a state change makes to another service, by kind: the message each producer
 * records in its transaction. Receivers are idempotent, so a message delivered twice does no harm.
 */
export const HANDOFF_KINDS = {
  /** An event moved to `calculating` (or a calculation paused): the calculation worker continues it. */
  calculateDistribution: 'distribution.calculate',
  /** A redemption was requested: the redemption worker plans it. */
  planRedemption: 'redemption.plan',
  /** A redemption was planned: its approval workflow starts, named after the request. */
  startRedemptionWorkflow: 'redemption.start-workflow',
  /** An admin approved: the waiting workflow executes. */
  approveRedemption: 'redemption.approve',
  /** An admin rejected: the waiting workflow ends. */
  rejectRedemption: 'redemption.reject',
  /** A domain event was recorded: it goes to the event bus (the relay alone sends it). */
  publishDomainEvent: 'domain-event.publish',
  /** Something waits for an approver: the approvers' topic is told (the relay alone sends it). */
  notifyApprovers: 'approvers.notify',
} as const;

export type HandoffKind = (typeof HANDOFF_KINDS)[keyof typeof HANDOFF_KINDS];

export const calculationHandoff = (eventId: string): OutboxMessage => ({
  kind: HANDOFF_KINDS.calculateDistribution,
  subjectId: eventId,
  destination: 'sqs',
  payload: { queue: 'allocation', body: { event_id: eventId } },
});

export const planningHandoff = (redemptionId: string): OutboxMessage => ({
  kind: HANDOFF_KINDS.planRedemption,
  subjectId: redemptionId,
  destination: 'sqs',
  payload: { queue: 'redemption', body: { redemption_id: redemptionId } },
});

export const workflowStartHandoff = (redemptionId: string, executionName: string): OutboxMessage => ({
  kind: HANDOFF_KINDS.startRedemptionWorkflow,
  subjectId: redemptionId,
  destination: 'sfn:start-execution',
  payload: { name: executionName, input: { redemption_id: redemptionId } },
});

export const approvalHandoff = (redemptionId: string, taskToken: string, adminId: string): OutboxMessage => ({
  kind: HANDOFF_KINDS.approveRedemption,
  subjectId: redemptionId,
  destination: 'sfn:send-task-success',
  payload: { task_token: taskToken, output: { decision: 'approved', decided_by: adminId } },
});

export const rejectionHandoff = (redemptionId: string, taskToken: string, error: string, reason: string): OutboxMessage => ({
  kind: HANDOFF_KINDS.rejectRedemption,
  subjectId: redemptionId,
  destination: 'sfn:send-task-failure',
  payload: { task_token: taskToken, error, cause: reason },
});

/** A domain event for EventBridge: its type as detail-type, its detail as Detail. About the event itself. */
export const domainEventHandoff = (eventId: string, type: string, detail: Record<string, unknown>): OutboxMessage => ({
  kind: HANDOFF_KINDS.publishDomainEvent,
  subjectId: eventId,
  destination: 'eventbridge:put-events',
  payload: { detail_type: type, detail },
});

/** A notification to the approvers' topic, about the `approval.requested` event it tells of. */
export const approversHandoff = (eventId: string, notice: { subject: string; message: string }): OutboxMessage => ({
  kind: HANDOFF_KINDS.notifyApprovers,
  subjectId: eventId,
  destination: 'sns:publish',
  payload: notice,
});
