import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_AGE_LIMIT } from '../../infra/constructs/reconciliation-alarms';
import { resourcesOf, synthesizeStage } from './synthesize';

const { stateful, stateless } = synthesizeStage();
const [operationsTopicExport] = Object.keys(stateful.toJSON().Outputs).filter((id) => id.startsWith('ExportsOutputRefOperationsTopic'));
const alarms = Object.values(resourcesOf(stateless, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties ?? {});
const alarmOn = (metricName: string) => alarms.find((alarm) => alarm.MetricName === metricName && alarm.Namespace !== 'AWS/Lambda');
const functionEnvironment = Object.values(resourcesOf(stateless, 'AWS::Lambda::Function'))[0]?.Properties?.Environment?.Variables;

// Emit as on Lambda: the service name every function is given, then the shared emitter.
process.env.POWERTOOLS_SERVICE_NAME = functionEnvironment?.POWERTOOLS_SERVICE_NAME;
const { metrics, MetricUnit } = await import('../../shared/metrics');

/** The namespace and dimensions of one metric as shared/metrics.ts writes it in EMF. */
function emitted(name: string, dimensions: Record<string, string> = {}) {
  for (const [key, value] of Object.entries(dimensions)) metrics.addDimension(key, value);
  metrics.addMetric(name, MetricUnit.Count, 1);
  const line = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
  };
  const [directive] = line._aws.CloudWatchMetrics;
  const dimensionNames = directive?.Dimensions[0] ?? [];
  return { namespace: directive?.Namespace, dimensions: Object.fromEntries(dimensionNames.map((key) => [key, line[key]])) };
}

afterEach(() => {
  metrics.clearMetrics();
  metrics.clearDimensions();
});

describe('alarms on what the outbox relay and the reconciler report', () => {
  it.each([
    ['OutboxOldestUndeliveredAge', OUTBOX_AGE_LIMIT.toMilliseconds()],
    ['OutboxDeadMessages', 0],
  ])('alarm when %s exceeds %i, on the very metric shared/metrics.ts emits', (metricName, threshold) => {
    const { namespace, dimensions } = emitted(metricName);

    expect(alarmOn(metricName)).toMatchObject({
      Namespace: namespace,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: threshold,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when UnhealedItems exceeds 0 for any kind, querying the dimensions shared/metrics.ts emits', () => {
    const { namespace, dimensions } = emitted('UnhealedItems', { kind: 'calculation' });
    const alarm = alarms.find((candidate) => JSON.stringify(candidate.Metrics ?? []).includes('UnhealedItems'));
    const query = alarm?.Metrics?.[0]?.Expression;

    expect(Object.keys(dimensions).sort()).toEqual(['kind', 'service']);
    expect(query).toBe(`SELECT MAX(UnhealedItems) FROM SCHEMA("${namespace}", kind, service) WHERE service = '${dimensions.service}'`);
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, TreatMissingData: 'notBreaching' });
  });

  it('raises no alarm on ReconcilerHealed, which is informational', () => {
    expect(JSON.stringify(alarms)).not.toContain('ReconcilerHealed');
  });

  it('e-mails the operations topic when each goes off and when it clears', () => {
    const reported = alarms.filter((alarm) => alarm.Namespace === 'TokenStocks' || alarm.Metrics !== undefined);
    const topic = { 'Fn::ImportValue': expect.stringContaining(operationsTopicExport ?? 'no export of the topic') };

    expect(reported).toHaveLength(3);
    for (const alarm of reported) expect(alarm).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
  });
});
