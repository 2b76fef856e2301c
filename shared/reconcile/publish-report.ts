import { logger } from '../logger';
import { metrics, MetricUnit } from '../metrics';
import { HEALED_KINDS, UNHEALED_KINDS } from './findings';
import type { ReconcileReport } from './reconcile';

/**
 * Reports a reconciler run for operators: one log line per heal and per kind left unhealed,
 * and CloudWatch metrics to alarm on (EMF). Every kind is counted on every run, zeros included,
 * so an alarm never lacks data while the reconciler runs:
 * `ReconcilerHealed` and `UnhealedItems` (Count, dimension `kind`), `OutboxOldestUndeliveredAge`
 * (Milliseconds) and `OutboxDeadMessages` (Count).
 */
export function publishReport(report: ReconcileReport): void {
  for (const finding of report.healed) logger.info('Reconciler healed', { ...finding });
  for (const kind of UNHEALED_KINDS) {
    const items = report.unhealed.filter((finding) => finding.kind === kind);
    if (items.length > 0) logger.warn('Reconciler cannot heal', { kind, count: items.length, items });
  }
  for (const kind of HEALED_KINDS) countByKind('ReconcilerHealed', kind, report.healed.filter((finding) => finding.kind === kind).length);
  for (const kind of UNHEALED_KINDS) countByKind('UnhealedItems', kind, report.unhealed.filter((finding) => finding.kind === kind).length);
  metrics.addMetric('OutboxOldestUndeliveredAge', MetricUnit.Milliseconds, report.outbox.oldestUndeliveredAgeMs);
  metrics.addMetric('OutboxDeadMessages', MetricUnit.Count, report.outbox.deadMessages);
  if (report.outbox.deadMessages > 0) logger.error('Outbox holds dead messages', { count: report.outbox.deadMessages });
  logger.info('Reconciled', {
    healed: report.healed.length,
    unhealed: report.unhealed.length,
    ...report.outbox,
    idempotency_records_purged: report.idempotencyRecordsPurged,
  });
}

/** One metric per kind: each kind is its own dimension value, so each goes out on its own. */
function countByKind(name: string, kind: string, count: number): void {
  const single = metrics.singleMetric();
  single.addDimension('kind', kind);
  single.addMetric(name, MetricUnit.Count, count);
}
