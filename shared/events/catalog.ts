import * as z from '../zod';
import { decimalText, idText, instantText, REASON_MAX_CHARS } from '../http/schemas';
import { DISTRIBUTION_AMOUNT, LP_TOKENS, NAV_PER_TOKEN, NGNTS, type Quantity } from '../quantities';

/**
 * Every domain event type: what it means and its `detail`, the JSON EventBridge carries as
 * Detail and the feed (GET /api/events) as `detail`. The type is EventBridge's detail-type.
 * `npm run event-schemas` writes a JSON Schema per type into docs/events/ from these; every
 * event is checked against its schema when it is recorded (record-domain-event.ts).
 *
 * A type's detail only ever gains optional fields: consumers keep reading old events with it.
 */

// Values as the API writes them (shared/http/schemas.ts): ids, instants to the millisecond in
// UTC, amounts at their quantity's scale.
const id = idText;
const instant = instantText;
const decimal = (quantity: Quantity, what: string) =>
  z.described(decimalText(quantity), `${what}: ${quantity.name}, a decimal string with exactly ${quantity.scale} fractional digits`);

const distributionAmount = (what: string) => decimal(DISTRIBUTION_AMOUNT, what);
const tokens = (what: string) => decimal(LP_TOKENS, what);
const ngnts = (what: string) => decimal(NGNTS, what);
const nav = (what: string) => decimal(NAV_PER_TOKEN, what);
const reason = () => z.string().check(z.maxLength(REASON_MAX_CHARS));
const admin = (what: string) => z.described(id, `The admin who ${what}`);

/** What every detail carries: consumers deduplicate on `event_id` (delivery is at least once). */
const envelope = () => ({
  event_id: z.described(id, 'The event’s id, the same on every delivery of it: deduplicate on it'),
  subject_id: z.described(id, 'The row the change is about (the id named by the type’s own field)'),
  occurred_at: z.described(instant, 'When the change was recorded (its transaction)'),
});
type Envelope = ReturnType<typeof envelope>;

interface EventTypeDefinition<Shape extends z.core.$ZodShape> {
  description: string;
  /** Built on first read: a function records one or two types, and builds none of the others at its cold start. */
  readonly detail: z.ZodMiniObject<Envelope & Shape, z.core.$strict>;
}

const eventType = <Shape extends z.core.$ZodShape>(description: string, shape: () => Shape): EventTypeDefinition<Shape> => {
  let detail: EventTypeDefinition<Shape>['detail'] | undefined;
  return {
    description,
    get detail() {
      return (detail ??= z.described(z.strictObject({ ...envelope(), ...shape() }), description));
    },
  };
};

// The fields several types share, as functions: each type builds them when its detail is built.
const distribution = () => ({ project_id: id, distribution_event_id: id });
const withdrawal = () => ({
  project_id: id,
  distribution_event_id: id,
  allocation_id: id,
  withdrawal_id: id,
  holder_id: z.described(id, 'The LP who asked'),
  amount: distributionAmount('The amount asked for'),
});
const redemption = () => ({
  project_id: id,
  redemption_id: id,
  holder_id: z.described(id, 'The LP selling tokens back'),
  tokens_amount: tokens('The tokens sold back'),
  value_ngnts: ngnts('What they are worth at the NAV of the request, in NGNTS'),
});
/** The reason its LP is told, as a code (GET /api/redemptions/{id}: `reason`). */
const reasonCode = () => z.enum(['rejected', 'treasury_unavailable', 'approval_expired', 'no_longer_valid', 'processing_failed']);

const proposal = () => ({
  proposal_id: id,
  action: z.described(z.enum(['nav.record', 'lp_tokens.issue', 'treasury.inflow', 'treasury.replenish']), 'The write it proposes'),
  project_id: z.nullable(id),
  proposed_by: admin('proposed it'),
});

/** Who decides what waits for an approver, and through which route. */
export const APPROVAL_OF = ['withdrawal', 'redemption', 'cashflow', 'proposal'] as const;
export type ApprovalOf = (typeof APPROVAL_OF)[number];

/** The longest summary: an SNS subject is at most 100 characters, `TokenStocks: ` included. */
export const APPROVAL_SUMMARY_MAX_CHARS = 87;

export const DOMAIN_EVENTS = {
  'distribution.calculated': eventType('A distribution event’s allocations were calculated: it can be activated (or cancelled)', () => ({
    ...distribution(),
    total_amount: distributionAmount('The amount distributed'),
    total_lp_tokens: tokens('The tokens held at the record date'),
    holder_count: z.int().check(z.nonnegative()),
    snapshot_date: z.described(instant, 'The record date: holdings as of then'),
    snapshot_hash: z.described(z.string(), 'sha256 of the snapshot, as GET /api/distributions/{id} shows it'),
  })),
  'distribution.activated': eventType('A calculated distribution event was approved: LPs may withdraw their allocations', () => ({
    ...distribution(),
    total_amount: distributionAmount('The amount distributed'),
    activated_by: admin('activated it'),
  })),
  'distribution.completed': eventType('An active distribution event was completed; its pending withdrawals were rejected with its reason', () => ({
    ...distribution(),
    total_allocated: distributionAmount('The amount allocated'),
    total_withdrawn: distributionAmount('The amount paid out'),
    reason: z.described(z.nullable(reason()), 'Why it was completed before everything was withdrawn; null when all was'),
    rejected_requests: z.described(z.int().check(z.nonnegative()), 'Pending withdrawal requests it rejected (each has its withdrawal.rejected)'),
    completed_by: admin('completed it'),
  })),
  'distribution.cancelled': eventType('A distribution event that had not opened for withdrawals was cancelled', () => ({
    ...distribution(),
    previous_status: z.enum(['draft', 'calculated', 'failed']),
    reason: reason(),
    cancelled_by: admin('cancelled it'),
  })),
  'distribution.failed': eventType('A distribution event’s calculation failed; an admin can calculate it again', () => ({
    ...distribution(),
    reason: reason(),
  })),

  'withdrawal.requested': eventType('An LP asked to withdraw from an allocation; the amount is held until an admin decides', withdrawal),
  'withdrawal.approved': eventType('An admin approved a withdrawal request; its payment is to be made and recorded', () => ({
    ...withdrawal(),
    approved_by: admin('approved it'),
  })),
  'withdrawal.rejected': eventType('A withdrawal request was rejected; its amount is available again', () => ({
    ...withdrawal(),
    reason: reason(),
    rejected_by: admin('rejected it (or completed its distribution event)'),
    at_completion: z.described(z.boolean(), 'Rejected by the completion of its distribution event, with the completion’s reason'),
  })),
  'withdrawal.paid': eventType('The payment of an approved withdrawal was recorded', () => ({
    ...withdrawal(),
    payment_reference: z.string(),
    paid_by: admin('recorded the payment'),
  })),

  'redemption.requested': eventType('An LP asked to sell tokens back at the NAV in force', () => ({
    ...redemption(),
    nav_per_token: nav('The NAV per token it is valued at'),
  })),
  'redemption.awaiting_approval': eventType('A redemption was planned and waits for an admin’s decision until its window closes', () => ({
    ...redemption(),
    approval_expires_at: z.described(instant, 'When it is rejected as expired without a decision'),
  })),
  'redemption.completed': eventType('An approved redemption was executed: the tokens burned and the value paid from the pool', () => ({
    ...redemption(),
    approved_by: admin('approved it'),
    payments: z.array(z.strictObject({ wallet: z.string(), amount_ngnts: ngnts('Paid from this wallet'), treasury_transaction_id: id })),
  })),
  'redemption.rejected': eventType('A redemption was rejected by an admin, or expired without a decision; nothing moved', () => ({
    ...redemption(),
    reason_code: reasonCode(),
    reason: z.described(reason(), 'Why, for admins: it may name the treasury’s side (its LP reads `reason_code`)'),
    rejected_by: z.described(z.nullable(id), 'The admin who rejected it; null when its window closed (or its approval came too late)'),
  })),
  'redemption.failed': eventType('A redemption stopped on an error retrying cannot fix; nothing moved and its tokens are free again', () => ({
    ...redemption(),
    reason_code: reasonCode(),
    reason: z.described(reason(), 'What happened, for admins'),
  })),

  'cashflow.verified': eventType('A recorded cashflow was verified by an admin other than its recorder', () => ({
    project_id: id,
    cashflow_id: id,
    amount_ngnts: ngnts('The cashflow'),
    recorded_by: z.described(z.nullable(id), 'The admin who recorded it; null for cashflows recorded before recorders were kept'),
    verified_by: admin('verified it'),
  })),
  'nav.recorded': eventType('A NAV entry was recorded for a project (at once, or by the approval of its proposal)', () => ({
    project_id: id,
    nav_entry_id: id,
    nav_per_token: nav('The NAV per token of the entry'),
    source: z.enum(['manual', 'formula', 'audited']),
    effective_at: z.described(instant, 'From when it is in force'),
    current_nav_per_token: nav('The project’s NAV in force now (a backdated entry does not replace a later one)'),
    recorded_by: admin('made the entry (its proposer, under dual control)'),
    approved_by: z.described(z.nullable(id), 'The admin whose approval of its proposal wrote it; null when written at once'),
  })),

  'proposal.made': eventType('An admin proposed a write that waits for a second admin (dual control)', proposal),
  'proposal.approved': eventType('Another admin approved a proposal: its write was made', () => ({
    ...proposal(),
    approved_by: admin('approved it'),
    applied_record_id: z.described(id, 'The row the write made: a NAV entry, a token movement or a treasury transaction'),
  })),
  'proposal.rejected': eventType('Another admin rejected a proposal: nothing was written', () => ({
    ...proposal(),
    rejected_by: admin('rejected it'),
    reason: reason(),
  })),
  'proposal.withdrawn': eventType('Its proposer withdrew a proposal: nothing was written', () => ({
    ...proposal(),
    reason: z.nullable(reason()),
  })),
  'proposal.expired': eventType('A proposal’s window ended without a decision: the reconciler ended it, nothing was written', () => ({
    ...proposal(),
    expires_at: z.described(instant, 'When its window ended'),
  })),

  'approval.requested': eventType('Something waits for an approver: the approvers’ topic was notified with what to decide and where', () => ({
    approval_of: z.enum(APPROVAL_OF),
    project_id: z.nullable(id),
    summary: z.described(z.string().check(z.maxLength(APPROVAL_SUMMARY_MAX_CHARS)), 'What waits, in a line (the notification’s subject)'),
    facts: z.described(z.record(z.string(), z.string()), 'What to decide on: amounts, ids, instants, as text'),
    who_decides: z.described(z.string(), 'Which admins may decide'),
    decisions: z.described(
      z.array(z.strictObject({ decision: z.enum(['approve', 'reject', 'verify']), method: z.literal('POST'), path: z.string(), body: z.nullable(z.string()) })),
      'The routes that decide it, with the body each takes (null: none)',
    ),
    expires_at: z.described(z.nullable(instant), 'When it stops waiting without a decision; null: never'),
  })),
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENTS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENTS) as [DomainEventType, ...DomainEventType[]];

/** An event's whole detail, as EventBridge and the feed carry it. */
export type DomainEventDetail<T extends DomainEventType> = z.output<(typeof DOMAIN_EVENTS)[T]['detail']>;
/** What a change gives when it records an event: the detail without its envelope. */
export type DomainEventFields<T extends DomainEventType> = Omit<DomainEventDetail<T>, keyof Envelope>;
