import type { Db } from '../db/client';
import { recordForRelay } from '../outbox/handoff';
import { approversHandoff } from '../outbox/handoffs';
import type { ApprovalOf, DomainEventDetail } from './catalog';
import { recordDomainEvent } from './record-domain-event';

type Decision = DomainEventDetail<'approval.requested'>['decisions'][number];

/**
 * The routes that decide each kind of approval (functions/routes/index.ts; a unit test holds these to
 * the table), with the body each takes. Written out here so that what records a request for
 * approval does not load the whole route table.
 */
export const DECISION_ROUTES: Readonly<Record<ApprovalOf, readonly Decision[]>> = {
  withdrawal: [
    { decision: 'approve', method: 'POST', path: '/api/withdrawals/{id}/approve', body: null },
    { decision: 'reject', method: 'POST', path: '/api/withdrawals/{id}/reject', body: '{"reason": "…"}' },
  ],
  redemption: [
    { decision: 'approve', method: 'POST', path: '/api/redemptions/{id}/approve', body: null },
    { decision: 'reject', method: 'POST', path: '/api/redemptions/{id}/reject', body: '{"reason": "…"}' },
  ],
  cashflow: [{ decision: 'verify', method: 'POST', path: '/api/cashflows/{id}/verify', body: null }],
  proposal: [
    { decision: 'approve', method: 'POST', path: '/api/proposals/{id}/approve', body: null },
    { decision: 'reject', method: 'POST', path: '/api/proposals/{id}/reject', body: '{"reason": "…"}' },
  ],
};

export interface ApprovalRequest {
  of: ApprovalOf;
  /** What waits: the withdrawal, redemption, cashflow or proposal; its id goes into the routes. */
  subjectId: string;
  projectId: string | null;
  /** A line: `Withdrawal of 100.0000000 awaits approval`. */
  summary: string;
  /** What to decide on, in the order the notification lists it. */
  facts: Record<string, string>;
  whoDecides: string;
  expiresAt?: Date;
}

/**
 * Tells the approvers that something waits for them, in the transaction that makes it wait: an
 * `approval.requested` event (the feed, EventBridge) and a notification to the approvers' topic
 * with what to decide and the routes that decide it. The relay delivers both.
 *
 * @example
 * await requestApproval(trx, { of: 'cashflow', subjectId: row.id, projectId, summary: 'Cashflow of 10.00 NGNTS awaits verification', … });
 */
export async function requestApproval(trx: Db, request: ApprovalRequest): Promise<void> {
  const decisions = DECISION_ROUTES[request.of].map((route) => ({ ...route, path: route.path.replace('{id}', request.subjectId) }));
  const event = await recordDomainEvent(trx, {
    type: 'approval.requested',
    subjectId: request.subjectId,
    detail: {
      approval_of: request.of,
      project_id: request.projectId,
      summary: request.summary,
      facts: request.facts,
      who_decides: request.whoDecides,
      decisions,
      expires_at: request.expiresAt?.toISOString() ?? null,
    },
  });
  await recordForRelay(trx, approversHandoff(event.event_id, approvalNotice(event)), new Date(event.occurred_at));
}

/** The notification as approvers read it: the summary as subject; the facts, who decides and how, as text. */
export function approvalNotice(event: DomainEventDetail<'approval.requested'>): { subject: string; message: string } {
  const lines = [
    `${event.summary}.`,
    '',
    ...Object.entries(event.facts).map(([name, value]) => `${name}: ${value}`),
    '',
    `Who decides: ${event.who_decides}.`,
    ...event.decisions.map((route) => `  ${route.decision}: ${route.method} ${route.path}${route.body === null ? '' : ` with ${route.body}`}`),
    ...(event.expires_at === null ? [] : ['', `Without a decision by ${event.expires_at} it expires.`]),
    '',
    `Event ${event.event_id} (approval.requested, ${event.occurred_at}) in GET /api/events.`,
  ];
  return { subject: `TokenStocks: ${event.summary}`, message: lines.join('\n') };
}
