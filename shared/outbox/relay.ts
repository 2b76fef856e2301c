import type { Db } from '../db/client';
import { type DeliveryReport, deliverClaimed, type DeliveryResult, type RefusalConsequences } from './deliver';
import { DELIVERY_LEASE_MS } from './handoff';
import { claimDueMessages, purgeSettledMessages } from './outbox.repository';

/** The relay waits this long at most for one call. */
export const RELAY_CALL_TIMEOUT_MS = 10_000;
const BATCH_SIZE = 25;
/** Delivered and refused messages are kept this long (to look into), then deleted. */
const RETENTION_MS = 7 * 24 * 3600_000;
const PURGE_LIMIT = 1_000;

export interface RelayOptions {
  refusals: RefusalConsequences;
  /** False once the invocation should stop taking messages. */
  hasTimeLeft: () => boolean;
  now?: () => Date;
}

export type RelayReport = Record<DeliveryResult, number> & { purged: number };

/**
 * One run of the relay: delivers every message that is due (its producer's turn has passed, or
 * its backoff has), batch after batch while time is left, then deletes settled messages past
 * their retention. Concurrent runs take different messages.
 */
export async function relayOutbox(db: Db, options: RelayOptions): Promise<RelayReport> {
  const now = options.now ?? (() => new Date());
  const reports: DeliveryReport[] = [];
  while (options.hasTimeLeft()) {
    const claimedAt = now();
    const rows = await claimDueMessages(db, claimedAt, new Date(claimedAt.getTime() + DELIVERY_LEASE_MS), BATCH_SIZE);
    if (rows.length === 0) break;
    reports.push(...(await deliverClaimed(db, rows, { callTimeoutMs: RELAY_CALL_TIMEOUT_MS, refusals: options.refusals, now })));
  }
  const purged = await purgeSettledMessages(db, new Date(now().getTime() - RETENTION_MS), PURGE_LIMIT);
  const count = (result: DeliveryResult) => reports.filter((report) => report.result === result).length;
  return { delivered: count('delivered'), refused: count('refused'), dead: count('dead'), retrying: count('retrying'), purged };
}
