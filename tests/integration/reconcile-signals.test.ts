import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../../shared/db/client';
import { logger } from '../../shared/logger';
import { flushMetrics } from '../../shared/metrics';
import { recordForRelay } from '../../shared/outbox/handoff';
import { calculationHandoff } from '../../shared/outbox/handoffs';
import { UNHEALED_KINDS } from '../../shared/reconcile/findings';
import { publishReport } from '../../shared/reconcile/publish-report';
import { useFaultProxies } from '../support/fault-proxy';
import { reconcileIn, relayIn } from '../support/outbox';
import { useEventBus } from '../support/domain-events';
import { useQueues } from '../support/queues';
import { captureOutput } from '../support/output';
import { useLambdaRuntime } from '../support/runtime';
import { useWorkflow } from '../support/workflow';

// Before the metrics emitter is created: emit metrics as on Lambda.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

useQueues();
// Domain events go to a local EventBridge bus, approvers' notices to the emulator's SNS topic (issue 12).
useEventBus();
useWorkflow({ approvalTimeoutSeconds: 3600 });
const lambdas = useLambdaRuntime();
const faults = useFaultProxies();

/** The JSON lines written to stdout and stderr while `work` runs, warnings and errors logged. */
async function jsonLinesOf(work: () => Promise<void>): Promise<Record<string, any>[]> {
  logger.setLogLevel('WARN');
  const output = captureOutput();
  try {
    await work();
  } finally {
    output.restore();
    logger.setLogLevel('SILENT');
  }
  return output.json();
}

const metricsIn = (lines: Record<string, any>[]) => lines.filter((line) => line._aws?.CloudWatchMetrics?.[0]?.Namespace === 'TokenStocks');
const valueOf = (lines: Record<string, any>[], name: string, kind?: string) =>
  metricsIn(lines).filter((line) => name in line && (kind === undefined || line.kind === kind)).map((line) => line[name]);

describe('what the reconciler reports', () => {
  it('emits every metric infrastructure alarms on, by kind, and logs what it cannot heal', async () => {
    // Prepare: one message SQS refuses for good, one the relay cannot deliver while SQS is down
    await recordForRelay(getDb(), { kind: 'test.invalid', subjectId: randomUUID(), destination: 'sqs', payload: { queue: 'allocation', body: { note: '\uffff' } } });
    await relayIn(0);
    faults.sqs.down();
    const undelivered = calculationHandoff(randomUUID());
    await recordForRelay(getDb(), undelivered);
    await relayIn(0);
    faults.sqs.up();

    // Act: looked at 15 minutes later
    const lines = await jsonLinesOf(async () => {
      publishReport(await reconcileIn(15));
      flushMetrics();
    });

    // Assess
    expect(valueOf(lines, 'UnhealedItems', 'outbox-undelivered')).toEqual([1]);
    for (const kind of ['calculation', 'redemption-planning', 'redemption-workflow']) expect(valueOf(lines, 'UnhealedItems', kind)).toEqual([0]);
    for (const kind of ['calculation-requeued', 'calculation-failed', 'redemption-requeued', 'redemption-failed']) {
      expect(valueOf(lines, 'ReconcilerHealed', kind)).toEqual([0]);
    }
    expect(valueOf(lines, 'OutboxDeadMessages')).toEqual([1]);
    expect(valueOf(lines, 'OutboxOldestUndeliveredAge')[0]).toBeGreaterThanOrEqual(14 * 60_000);
    const unit = (name: string) =>
      metricsIn(lines)
        .flatMap((line) => line._aws.CloudWatchMetrics[0].Metrics as { Name: string; Unit: string }[])
        .find((metric) => metric.Name === name)?.Unit;
    expect([unit('UnhealedItems'), unit('ReconcilerHealed'), unit('OutboxDeadMessages'), unit('OutboxOldestUndeliveredAge')]).toEqual([
      'Count',
      'Count',
      'Count',
      'Milliseconds',
    ]);
    expect(metricsIn(lines).find((line) => 'UnhealedItems' in line)?._aws.CloudWatchMetrics[0].Dimensions[0]).toContain('kind');
    const cannotHeal = lines.find((line) => line.message === 'Reconciler cannot heal');
    expect(cannotHeal).toMatchObject({ kind: 'outbox-undelivered', count: 1, items: [expect.objectContaining({ subjectId: undelivered.subjectId })] });
    expect(lines.find((line) => line.message === 'Outbox holds dead messages')).toMatchObject({ level: 'ERROR', count: 1 });
  });

  it('runs as the scheduled function the schedule table names', async () => {
    // Act
    const lines = await jsonLinesOf(() => lambdas.runSchedule('reconcile'));

    // Assess
    expect(valueOf(lines, 'OutboxDeadMessages')).toEqual([0]);
    expect(valueOf(lines, 'UnhealedItems')).toHaveLength(UNHEALED_KINDS.length);
    expect(metricsIn(lines)[0]).toMatchObject({ service: expect.any(String) });
  });
});
