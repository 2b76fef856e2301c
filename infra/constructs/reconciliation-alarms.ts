import { Duration } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { OperationsTopic } from './operations-topic';

/** The namespace of shared/metrics.ts (tests/infra/reconciliation-alarms.test.ts checks they agree). */
export const METRICS_NAMESPACE = 'TokenStocks';

/** The outbox's oldest undelivered message may wait this long before the operators hear of it. */
export const OUTBOX_AGE_LIMIT = Duration.minutes(15);

export interface ReconciliationAlarmsProps {
  /** Each datapoint covers this long: enough for every metric to be emitted at least once (two runs of the slowest schedule). */
  period: Duration;
  operations: OperationsTopic;
  /**
   * shared/metrics.ts adds a `service` dimension to every metric (as Powertools did), valued
   * POWERTOOLS_SERVICE_NAME, which AppFunction sets to the stage's service name: an alarm's
   * dimensions must include it to match.
   */
  serviceName: string;
}

/**
 * Alarms on what the outbox relay and the reconciler (functions/schedules/) report as EMF
 * metrics. `ReconcilerHealed` (work healed) is informational and has no alarm. A metric that
 * is not emitted in a period counts as fine; the schedules' own alarms catch a run that stops.
 */
export class ReconciliationAlarms extends Construct {
  readonly unhealedItems: Alarm;
  readonly outboxOldestUndeliveredAge: Alarm;
  readonly outboxDeadMessages: Alarm;

  constructor(scope: Construct, id: string, { period, operations, serviceName }: ReconciliationAlarmsProps) {
    super(scope, id);
    const emitted = (metricName: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: serviceName }, statistic: 'Maximum', period });

    // UnhealedItems has a `kind` dimension with values only the reconciler knows: a Metrics
    // Insights query takes the largest across every kind, so a new kind needs no new alarm.
    const unhealedAcrossKinds = new MathExpression({
      expression: `SELECT MAX(UnhealedItems) FROM SCHEMA("${METRICS_NAMESPACE}", kind, service) WHERE service = '${serviceName}'`,
      label: 'UnhealedItems, largest across kinds',
      period,
    });
    this.unhealedItems = unhealedAcrossKinds.createAlarm(this, 'UnhealedItems', {
      alarmDescription:
        'The reconciler found work waiting past its time that it could not heal (UnhealedItems > 0; the `kind` dimension says what). Its log group lists the items.',
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.outboxOldestUndeliveredAge = emitted('OutboxOldestUndeliveredAge').createAlarm(this, 'OutboxOldestUndeliveredAge', {
      alarmDescription: `A message has waited in the transactional outbox longer than ${OUTBOX_AGE_LIMIT.toHumanString()} (OutboxOldestUndeliveredAge): the relay is failing or falling behind.`,
      threshold: OUTBOX_AGE_LIMIT.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.outboxDeadMessages = emitted('OutboxDeadMessages').createAlarm(this, 'OutboxDeadMessages', {
      alarmDescription: 'The relay gave up on outbox messages (OutboxDeadMessages > 0): they will not be delivered until someone acts.',
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.unhealedItems, this.outboxOldestUndeliveredAge, this.outboxDeadMessages]) operations.notify(alarm);
  }
}
