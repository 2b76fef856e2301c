import type { Db } from '../db/client';
import { recordForRelay } from '../outbox/handoff';
import { domainEventHandoff } from '../outbox/handoffs';
import { DOMAIN_EVENTS, type DomainEventDetail, type DomainEventFields, type DomainEventType } from './catalog';
import { insertDomainEvent } from './domain-events.repository';

/** An event to record: its type, the row it is about, and its detail without the envelope. */
export type NewDomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { type: K; subjectId: string; detail: DomainEventFields<K> };
}[T];

/**
 * Records a domain event in the transaction of the change it tells of: the event (the feed's row)
 * and its hand-off to EventBridge commit or roll back with the change. Call it only where the
 * change happens, never where a retry finds it done, so that each change is told exactly once.
 * The detail is checked against its type's schema here: a detail that breaks it is a bug, and
 * fails the change. The relay delivers the hand-off (it alone may call EventBridge).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const updated = await updateWithdrawal(trx, id, { status: 'approved', decidedBy: admin.id });
 *   await recordDomainEvent(trx, { type: 'withdrawal.approved', subjectId: id, detail: { …, approved_by: admin.id } });
 * });
 */
export async function recordDomainEvent<T extends DomainEventType>(
  trx: Db,
  event: NewDomainEvent<T>,
): Promise<DomainEventDetail<T>> {
  // Web Crypto's, a global: loading node:crypto for one id costs more at a cold start.
  const id = crypto.randomUUID();
  const occurredAt = new Date();
  const detail = DOMAIN_EVENTS[event.type].detail.parse({
    event_id: id,
    subject_id: event.subjectId,
    occurred_at: occurredAt.toISOString(),
    ...event.detail,
  }) as DomainEventDetail<T>;
  await insertDomainEvent(trx, { id, type: event.type, subjectId: event.subjectId, detail, occurredAt });
  await recordForRelay(trx, domainEventHandoff(id, event.type, detail), occurredAt);
  return detail;
}
