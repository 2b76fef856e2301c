import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushMetrics, metrics, MetricUnit } from '../../shared/metrics';

// Metrics on, as on Lambda, before the emitter is made. The EMF line is Powertools Metrics'
// format, which shared/metrics.ts keeps (CloudWatch and the alarms read it).
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

/** The JSON lines written to stdout while `act` runs. */
function linesOf(act: () => void): Record<string, any>[] {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => chunks.push(String(chunk)) > 0);
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
}

afterEach(() => {
  metrics.clearMetrics();
  metrics.clearDimensions();
  vi.useRealTimers();
});

describe('an EMF line', () => {
  it('carries the namespace, the dimensions and each metric with its unit; a metric added twice keeps both values', () => {
    vi.useFakeTimers({ now: 1_800_000_000_000, toFake: ['Date'] });

    const lines = linesOf(() => {
      metrics.addDimension('outcome', 'completed');
      metrics.addMetric('QueueMessageAge', MetricUnit.Milliseconds, 5);
      metrics.addMetric('QueueMessageAge', MetricUnit.Milliseconds, 7);
      metrics.addMetric('Redemptions', MetricUnit.Count, 1);
      flushMetrics();
    });

    expect(lines).toEqual([
      {
        _aws: {
          Timestamp: 1_800_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'TokenStocks',
              Dimensions: [['service', 'outcome']],
              Metrics: [
                { Name: 'QueueMessageAge', Unit: 'Milliseconds' },
                { Name: 'Redemptions', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'tokenstocks',
        outcome: 'completed',
        QueueMessageAge: [5, 7],
        Redemptions: 1,
      },
    ]);
  });

  it('is written once per flush, with the invocation’s dimensions then forgotten; nothing when no metric was added', () => {
    const lines = linesOf(() => {
      metrics.addDimension('outcome', 'rejected');
      metrics.addMetric('Redemptions', MetricUnit.Count, 1);
      flushMetrics();
      flushMetrics();
      metrics.addMetric('Redemptions', MetricUnit.Count, 1);
      flushMetrics();
    });

    expect(lines.map((line) => line._aws.CloudWatchMetrics[0].Dimensions)).toEqual([[['service', 'outcome']], [['service']]]);
  });

  it('of a single metric goes out at once, with its own dimension beside the default ones', () => {
    const lines = linesOf(() => {
      const single = metrics.singleMetric();
      single.addDimension('kind', 'calculation');
      single.addMetric('UnhealedItems', MetricUnit.Count, 0);
    });

    expect(lines).toEqual([expect.objectContaining({ service: 'tokenstocks', kind: 'calculation', UnhealedItems: 0 })]);
    expect(lines[0]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'kind']]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('refuses a metric added again with another unit, and splits more than 100 metrics over two lines', () => {
    metrics.addMetric('Probe', MetricUnit.Count, 1);
    expect(() => metrics.addMetric('Probe', MetricUnit.Milliseconds, 1)).toThrow(/already been added with unit "Count"/);

    const lines = linesOf(() => {
      for (let i = 0; i < 101; i += 1) metrics.addMetric(`M${i}`, MetricUnit.Count, i);
      flushMetrics();
    });

    expect(lines.map((line) => line._aws.CloudWatchMetrics[0].Metrics.length)).toEqual([100, 2]);
  });
});
