import { Duration } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AppFunction } from './app-function';
import type { OperationsTopic } from './operations-topic';

/** Runs in a row that may go missing before a scheduled function counts as stopped. */
const MISSED_RUNS = 3;
/** Errors are summed over at least this long (Lambda publishes its metrics per minute). */
const MIN_ERROR_PERIOD = Duration.minutes(5);

export interface ScheduledFunctionAlarmsProps {
  fn: AppFunction;
  /** How often the schedule runs it. */
  interval: Duration;
  operations: OperationsTopic;
}

/**
 * A function run by a schedule has no caller to notice when it fails: the operators are told
 * when it errors, and when it stops running at all (schedule disabled or deleted, the
 * scheduler's role broken, the function throttled to nothing).
 */
export class ScheduledFunctionAlarms extends Construct {
  readonly errors: Alarm;
  readonly stopped: Alarm;

  constructor(scope: Construct, id: string, { fn, interval, operations }: ScheduledFunctionAlarmsProps) {
    super(scope, id);
    const name = fn.node.id;
    const errorPeriod = Duration.minutes(Math.max(MIN_ERROR_PERIOD.toMinutes(), interval.toMinutes()));
    this.errors = fn.metricErrors({ period: errorPeriod, statistic: 'Sum' }).createAlarm(this, 'Errors', {
      alarmDescription: `${name} failed at least once in ${errorPeriod.toHumanString()} (Lambda Errors > 0); its log group says why. The next scheduled run retries.`,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // Lambda publishes no Invocations datapoint for a period without invocations: missing data is the signal.
    const silence = Duration.minutes(MISSED_RUNS * interval.toMinutes());
    this.stopped = fn.metricInvocations({ period: silence, statistic: 'Sum' }).createAlarm(this, 'Stopped', {
      alarmDescription: `${name} did not run in ${silence.toHumanString()} (it should every ${interval.toHumanString()}): check its schedule, the scheduler's role and the function's throttles.`,
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    operations.notify(this.errors);
    operations.notify(this.stopped);
  }
}
