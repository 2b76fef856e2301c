import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * One CloudWatch Embedded Metric Format emitter per process. Metrics are buffered during an
 * invocation and must be flushed before it returns: `flushMetrics()` in a `finally`.
 */
export const metrics = new Metrics({
  namespace: 'TokenStocks',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tokenstocks',
});

export { MetricUnit };

/** Writes the buffered metrics as one EMF line; nothing (and no warning) when there are none. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
