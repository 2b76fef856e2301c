import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely's view of the tables the migrations define.
 *
 * `numeric` columns are strings here (both pg and the Data API return them as text) and become
 * `Decimal` in the repositories' mappers. Timestamps are `timestamptz` and read as `Date`.
 */
type Numeric = ColumnType<string, string, string>;
type NumericWithDefault = ColumnType<string, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampWithDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
type JsonWithDefault = ColumnType<unknown, string | undefined, string>;

export type UserRole = 'admin' | 'lp';
export type ProjectStatus = 'active' | 'suspended' | 'closed';
export type LpTokenMovementKind = 'issue' | 'transfer' | 'burn';
export type WalletType = 'lp' | 'admin' | 'treasury' | 'distribution';
export type WalletRole = 'operations' | 'treasury' | 'distribution' | 'liquidity_pool' | 'treasury_pool';

export interface UsersTable {
  id: string;
  /** Null: no e-mail the identity provider (or an admin) vouches for, or it moved to another user. */
  email: string | null;
  /** How recent the word that set `email` is: its token's issue time, or when an admin set it; null: older than any token. */
  email_set_at: Timestamp | null;
  name: string | null;
  role: UserRole;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface ProjectsTable {
  id: Generated<string>;
  name: string;
  status: ColumnType<ProjectStatus, ProjectStatus | undefined, ProjectStatus>;
  current_nav_per_token: Numeric | null;
  /** Every LP token the project has issued, ever (burns do not reduce it): it bounds every balance and supply. */
  lp_tokens_issued: NumericWithDefault;
  created_by: string;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface LpTokenMovementsTable {
  id: Generated<string>;
  project_id: string;
  kind: LpTokenMovementKind;
  from_holder_id: string | null;
  to_holder_id: string | null;
  amount: Numeric;
  effective_at: Timestamp;
  recorded_by: string;
  recorded_at: TimestampWithDefault;
}

export interface LpTokenBalancesTable {
  project_id: string;
  lp_token_holder_id: string;
  lp_tokens_allocated: NumericWithDefault;
  updated_at: TimestampWithDefault;
}

export interface PlatformWalletsTable {
  id: Generated<string>;
  address: string;
  label: string | null;
  wallet_type: WalletType;
  project_id: string | null;
  wallet_role: WalletRole | null;
  min_reserve_threshold: Numeric | null;
  created_at: TimestampWithDefault;
}

export interface ProjectNavHistoryTable {
  id: Generated<string>;
  project_id: string;
  nav_per_token: Numeric;
  source: 'manual' | 'formula' | 'audited';
  effective_at: TimestampWithDefault;
  updated_by: string | null;
  notes: string | null;
  created_at: TimestampWithDefault;
}

export interface ProjectCashflowsTable {
  id: Generated<string>;
  project_id: string;
  amount_ngnts: Numeric;
  source: string | null;
  source_document_url: string | null;
  recorded_by: string | null;
  verified_by: string | null;
  verified_at: Timestamp | null;
  status: ColumnType<'recorded' | 'verified' | 'tokenized', 'recorded' | 'verified' | 'tokenized' | undefined>;
  chain_tx_hash: string | null;
  created_at: TimestampWithDefault;
}

export type TreasuryTransactionType = 'inflow' | 'allocation' | 'buyback' | 'replenish' | 'fee';

export interface TreasuryPoolTransactionsTable {
  id: Generated<string>;
  type: TreasuryTransactionType;
  amount_ngnts: Numeric;
  source_project_id: string | null;
  /** The wallet address money left; null: it came from outside the platform. */
  source_wallet: string | null;
  /** The wallet address money went to; null: it left the platform. */
  destination_wallet: string | null;
  related_tx_hash: string | null;
  metadata: Json | null;
  recorded_by: string | null;
  cashflow_id: string | null;
  redemption_request_id: string | null;
  created_at: TimestampWithDefault;
}

export interface RedemptionRequestsTable {
  id: Generated<string>;
  user_id: string;
  project_id: string;
  tokens_amount: Numeric;
  nav_snapshot: Numeric;
  redemption_value_ngnts: Numeric;
  funding_plan: JsonWithDefault;
  tx_hashes: JsonWithDefault;
  status: ColumnType<RedemptionStatus, RedemptionStatus | undefined>;
  rejection_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  /** The Step Functions execution approving this request (named after the request). */
  execution_name: string | null;
  /** The waiting approval step's task token, while it waits. */
  task_token: string | null;
  approval_expires_at: Timestamp | null;
  /** Why a `failed` request failed, in detail: for admins (its LP sees `reason_code`). */
  failure_reason: string | null;
  /** The NAV entry the request was valued at (null: made before it was kept). */
  nav_entry_id: string | null;
  /** Why a `rejected` or `failed` request ended unpaid, as its LP is told (shared/redemptions/reasons.ts). */
  reason_code: RedemptionReasonCode | null;
  created_at: TimestampWithDefault;
  processed_at: Timestamp | null;
  updated_at: TimestampWithDefault;
}

export type RedemptionStatus = 'pending' | 'awaiting_approval' | 'processing' | 'completed' | 'rejected' | 'failed';
export type RedemptionReasonCode = 'rejected' | 'treasury_unavailable' | 'approval_expired' | 'no_longer_valid' | 'processing_failed';

export interface AuditAdminActionsTable {
  id: Generated<string>;
  /** Null: the platform acted on its own (the reconciler, a workflow step), not a person. */
  admin_id: string | null;
  action: string;
  target: Json | null;
  details: Json | null;
  created_at: TimestampWithDefault;
}

export type DistributionEventStatus =
  | 'draft'
  | 'calculating'
  | 'calculated'
  | 'failed'
  | 'active'
  | 'completed'
  | 'cancelled';

export interface DistributionEventsTable {
  id: Generated<string>;
  project_id: string;
  event_type: 'revenue' | 'exit' | 'dividend' | 'other';
  title: string;
  description: string | null;
  total_amount: Numeric;
  distribution_date: Timestamp;
  status: ColumnType<DistributionEventStatus, DistributionEventStatus | undefined>;
  snapshot_date: Timestamp | null;
  snapshot_total_lp_tokens: Numeric | null;
  snapshot_nav: Numeric | null;
  total_allocated: NumericWithDefault;
  total_withdrawn: NumericWithDefault;
  total_pending: NumericWithDefault;
  created_by: string;
  approved_by: string | null;
  approved_at: Timestamp | null;
  completed_at: Timestamp | null;
  cancelled_by: string | null;
  cancelled_at: Timestamp | null;
  cancellation_reason: string | null;
  snapshot_holder_count: number | null;
  snapshot_hash: string | null;
  holders_done: ColumnType<number, number | undefined, number>;
  calculation_state: Json | null;
  calculation_requested_by: string | null;
  calculation_requested_at: Timestamp | null;
  calculated_at: Timestamp | null;
  failure_reason: string | null;
  completion_reason: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface DistributionAllocationsTable {
  id: Generated<string>;
  distribution_event_id: string;
  project_id: string;
  lp_token_holder_id: string;
  lp_tokens_held: Numeric;
  ownership_percentage: Numeric;
  allocated_amount: Numeric;
  withdrawn_amount: NumericWithDefault;
  pending_amount: NumericWithDefault;
  available_amount: Numeric;
  status: ColumnType<
    'allocated' | 'partially_withdrawn' | 'fully_withdrawn',
    'allocated' | 'partially_withdrawn' | 'fully_withdrawn' | undefined
  >;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

/** Holders near the estimated cut while a calculation writes (guessed-write-pass.ts); empty once it ends. */
export interface DistributionCutCandidatesTable {
  distribution_event_id: string;
  dimension: 'amount' | 'percent';
  lp_token_holder_id: string;
  remainder: Numeric;
}

export interface WithdrawalRequestsTable {
  id: Generated<string>;
  distribution_allocation_id: string;
  distribution_event_id: string;
  project_id: string;
  lp_token_holder_id: string;
  amount: Numeric;
  status: ColumnType<
    'pending' | 'approved' | 'rejected' | 'paid',
    'pending' | 'approved' | 'rejected' | 'paid' | undefined
  >;
  requested_by: string;
  requested_at: TimestampWithDefault;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  paid_by: string | null;
  paid_at: Timestamp | null;
  payment_reference: string | null;
  created_at: TimestampWithDefault;
  updated_at: TimestampWithDefault;
}

export interface DistributionActivityLogTable {
  id: Generated<string>;
  distribution_event_id: string | null;
  withdrawal_request_id: string | null;
  project_id: string;
  activity_type: string;
  performed_by: string;
  previous_status: string | null;
  new_status: string | null;
  changes_summary: Json | null;
  metadata: Json | null;
  ip_address: string | null;
  user_agent: string | null;
  created_at: TimestampWithDefault;
}

export interface IdempotencyRecordsTable {
  id: string;
  status: 'INPROGRESS' | 'COMPLETED' | 'EXPIRED';
  /** Seconds since the epoch (Powertools' convention); bigint arrives as text over pg. */
  expiry_timestamp: ColumnType<string | number, number, number>;
  /** Milliseconds since the epoch. */
  in_progress_expiry_timestamp: ColumnType<string | number | null, number | null, number | null>;
  payload_hash: string | null;
  /** The response replayed to a repeat, as JSON text; null until kept, or when too large to keep. */
  response_data: string | null;
  created_at: TimestampWithDefault;
  /** When the change the key protects committed (in its transaction): the key never runs again. */
  committed_at: Timestamp | null;
}

export type OutboxDestination =
  | 'sqs'
  | 'sfn:start-execution'
  | 'sfn:send-task-success'
  | 'sfn:send-task-failure'
  | 'eventbridge:put-events'
  | 'sns:publish';
export type OutboxStatus = 'pending' | 'delivered' | 'refused' | 'dead';

/** A message a state change hands to another service, written in that change's transaction. */
export interface OutboxMessagesTable {
  id: Generated<string>;
  /** What the message does, e.g. `redemption.approve`. */
  kind: string;
  /** The row it is about (an event, a redemption request). */
  subject_id: string;
  destination: OutboxDestination;
  payload: Json;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  /** The relay leaves the message alone until then (its producer's turn, or the backoff). */
  next_attempt_at: Timestamp;
  /** A delivery in progress holds the message until then. */
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: TimestampWithDefault;
  settled_at: Timestamp | null;
}

/** What the reconciler last saw of work that should be moving. */
export interface ReconcilerObservationsTable {
  kind: string;
  subject_id: string;
  /** A fingerprint of the subject's progress: any change is progress. */
  progress: string;
  unchanged_since: Timestamp;
  /** Heals since the progress last changed. */
  heals: ColumnType<number, number | undefined, number>;
  last_healed_at: Timestamp | null;
}

/** What a dual-control proposal would do: the audit action of the change it makes. */
export type ProposalAction = 'nav.record' | 'lp_tokens.issue' | 'treasury.inflow' | 'treasury.replenish';
export type ProposalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'expired';

/** A change one admin proposed, waiting for (or decided by) another. */
export interface DualControlProposalsTable {
  id: Generated<string>;
  action: ProposalAction;
  /** The project it is about: the route's, or the inflow's source project; null for none. */
  project_id: string | null;
  /** The request as its route takes it, with what approval must not decide again filled in. */
  request: Json;
  /** What the proposer saw that approval checks again, e.g. how many NAV entries were dated at or after theirs. */
  basis: Json | null;
  status: ColumnType<ProposalStatus, ProposalStatus | undefined, ProposalStatus>;
  proposed_by: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  /** A rejection's reason (required), or a withdrawal's (optional). */
  decision_reason: string | null;
  /** The row the approval wrote: a NAV entry, a token movement or a treasury transaction. */
  applied_record_id: string | null;
  created_at: TimestampWithDefault;
  /** Past it no one can decide the proposal; the reconciler ends it as `expired`. */
  expires_at: Timestamp;
}

/** A state change another system cares about, recorded in its transaction (shared/events/). */
export interface DomainEventsTable {
  id: string;
  /** Order within the recording transaction; bigint, read as text. */
  seq: Generated<string>;
  /** The recording transaction's id (xid8), read as text: the feed's order and visibility. */
  xact_id: Generated<string>;
  /** The documented type, e.g. `withdrawal.requested` (EventBridge's detail-type). */
  type: string;
  /** The row the change is about: an event, a withdrawal, a redemption… */
  subject_id: string;
  /** EventBridge's Detail: the event's id, subject and instant, and the type's own fields. */
  detail: Json;
  occurred_at: TimestampWithDefault;
}

export interface Database {
  users: UsersTable;
  projects: ProjectsTable;
  lp_token_movements: LpTokenMovementsTable;
  lp_token_balances: LpTokenBalancesTable;
  platform_wallets: PlatformWalletsTable;
  project_nav_history: ProjectNavHistoryTable;
  project_cashflows: ProjectCashflowsTable;
  treasury_pool_transactions: TreasuryPoolTransactionsTable;
  redemption_requests: RedemptionRequestsTable;
  audit_admin_actions: AuditAdminActionsTable;
  distribution_events: DistributionEventsTable;
  distribution_allocations: DistributionAllocationsTable;
  distribution_cut_candidates: DistributionCutCandidatesTable;
  withdrawal_requests: WithdrawalRequestsTable;
  distribution_activity_log: DistributionActivityLogTable;
  idempotency_records: IdempotencyRecordsTable;
  outbox_messages: OutboxMessagesTable;
  reconciler_observations: ReconcilerObservationsTable;
  dual_control_proposals: DualControlProposalsTable;
  domain_events: DomainEventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type NewProjectRow = Insertable<ProjectsTable>;
export type ProjectUpdate = Updateable<ProjectsTable>;
export type LpTokenMovementRow = Selectable<LpTokenMovementsTable>;
export type PlatformWalletRow = Selectable<PlatformWalletsTable>;
