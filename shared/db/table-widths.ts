import { STATE_MAX_BYTES } from '../distributions/calculation/state-size';
import { REASON_MAX_CHARS } from '../http/schemas';
import { CUT_REMAINDER, DISTRIBUTION_AMOUNT, LP_TOKENS, NAV_PER_TOKEN, NGNTS, OWNERSHIP_PERCENTAGE } from '../quantities';
import {
  CASHFLOW_SOURCE_MAX_CHARS,
  DESCRIPTION_MAX_CHARS,
  DOCUMENT_URL_MAX_CHARS,
  EMAIL_MAX_CHARS,
  METADATA_MAX_CHARS,
  PAYMENT_REFERENCE_MAX_CHARS,
  PROJECT_NAME_MAX_CHARS,
  TITLE_MAX_CHARS,
  TX_HASH_MAX_CHARS,
  USER_NAME_MAX_CHARS,
  WALLET_ADDRESS_MAX_CHARS,
  WALLET_LABEL_MAX_CHARS,
} from '../text-limits';
import { type ColumnWidth, width } from './result-size';
import type { Database } from './schema';

/**
 * The widest value every column of every table can hold, as a Data API answer carries it
 * (db/result-size.ts). Reads take their columns' widths from here, so a new column has to be
 * given one (the type below requires every column of schema.ts), and tests/unit/read-bounds.test.ts
 * holds each against the migrations' types (a varchar(n) is at least n characters wide).
 *
 * Text columns are as wide as what writes them allows: the API's limits for what a request
 * carries (freeText), `storableText` for what the platform writes from errors and headers, and
 * the JSON limits below, which `jsonb(value, maxChars)` enforces where the value is written.
 */

export type Widths<Table> = { readonly [Column in keyof Table]-?: ColumnWidth };

const tokens = width.quantity(LP_TOKENS);
const distributionAmount = width.quantity(DISTRIBUTION_AMOUNT);
const ngnts = width.quantity(NGNTS);
const nav = width.quantity(NAV_PER_TOKEN);

/** A buyback draws on at most this many wallets: its funding plan and its payments stay this long. */
export const MAX_FUNDING_SOURCES = 16;

/** One plan's or payment's source as JSON: its keys, a wallet address (quotes and backslashes escaped: 2 a character), a role, an amount, an id. */
const FUNDING_SOURCE_JSON_CHARS = 64 + 2 * 128 + 32 + 32 + 36;

/** redemption_requests.funding_plan: `{value_ngnts, sources: [...], shortfall_ngnts}`. */
export const FUNDING_PLAN_MAX_CHARS = 128 + MAX_FUNDING_SOURCES * (FUNDING_SOURCE_JSON_CHARS + 1);
/** redemption_requests.tx_hashes: one payment per source. */
export const TX_HASHES_MAX_CHARS = FUNDING_PLAN_MAX_CHARS;

/**
 * distribution_activity_log.changes_summary: a few fields and at most one reason (2,000
 * characters, 4,000 of JSON when every one is a quote) or title and reference.
 */
export const ACTIVITY_SUMMARY_MAX_CHARS = 4_608;
/** distribution_activity_log.metadata: nothing writes it yet. */
export const ACTIVITY_METADATA_MAX_CHARS = 1_024;

/** Step Functions' task tokens are at most 2,048 characters. */
export const TASK_TOKEN_MAX_CHARS = 2_048;
/**
 * outbox_messages.payload: a task token and a rejection's reason at most (2,000 characters, 4,000
 * of JSON), or a domain event's detail (DOMAIN_EVENT_DETAIL_MAX_CHARS) and its type.
 */
export const OUTBOX_PAYLOAD_MAX_CHARS = 8_192;
/** outbox_messages.last_error (storableText). */
export const OUTBOX_ERROR_MAX_CHARS = 2_000;

/**
 * dual_control_proposals.request: the largest request a proposal stores, a treasury credit's,
 * is its metadata and a few short fields (2,048 characters hold them, a hash all quotes included).
 */
export const PROPOSAL_REQUEST_MAX_CHARS = METADATA_MAX_CHARS + 2_048;
/** dual_control_proposals.basis: a few counts and ids. */
export const PROPOSAL_BASIS_MAX_CHARS = 256;

/**
 * domain_events.detail: an event's ids, amounts and instants, and at most one reason (2,000
 * characters, 4,000 of JSON) or a redemption's payments (16 at most); shared/events/catalog.ts.
 */
export const DOMAIN_EVENT_DETAIL_MAX_CHARS = 6_144;

/** What an activity row keeps of the request's user agent (a header of up to 10 KB) (storableText). */
export const USER_AGENT_MAX_CHARS = 512;

/**
 * idempotency_records.response_data: a response kept for replays, at most this many bytes of a
 * Data API answer (its JSON text escaped as a string, in UTF-8); a larger one is not kept.
 * Today's largest is about 42 KB (a distribution whose 10,000-character description is all quotes).
 */
export const IDEMPOTENT_RESPONSE_MAX_BYTES = 60_000;

/**
 * Columns that no read of the application selects and whose width nothing bounds: audit rows'
 * JSON (written from errors' details). A read that selected one could not be sized, and
 * rowsPerResult throws for it.
 */
const UNBOUNDED_JSON: ColumnWidth = width.jsonb(Number.POSITIVE_INFINITY);

const created = { created_at: width.timestamptz };
const stamps = { created_at: width.timestamptz, updated_at: width.timestamptz };

export const tableWidths = {
  users: {
    id: width.uuid,
    email: width.ascii(EMAIL_MAX_CHARS),
    email_set_at: width.timestamptz,
    name: width.text(USER_NAME_MAX_CHARS, 'varchar'),
    role: width.ascii(16),
    ...stamps,
  },
  projects: {
    id: width.uuid,
    name: width.text(PROJECT_NAME_MAX_CHARS, 'varchar'),
    status: width.ascii(16),
    current_nav_per_token: nav,
    lp_tokens_issued: tokens,
    created_by: width.uuid,
    ...stamps,
  },
  lp_token_movements: {
    id: width.uuid,
    project_id: width.uuid,
    kind: width.ascii(16),
    from_holder_id: width.uuid,
    to_holder_id: width.uuid,
    amount: tokens,
    effective_at: width.timestamptz,
    recorded_by: width.uuid,
    recorded_at: width.timestamptz,
  },
  lp_token_balances: {
    project_id: width.uuid,
    lp_token_holder_id: width.uuid,
    lp_tokens_allocated: tokens,
    updated_at: width.timestamptz,
  },
  platform_wallets: {
    id: width.uuid,
    // varchar(128), though the API takes 64 (treasury transactions keep addresses in varchar(64))
    address: width.text(128, 'varchar'),
    label: width.text(WALLET_LABEL_MAX_CHARS, 'varchar'),
    wallet_type: width.ascii(32),
    project_id: width.uuid,
    wallet_role: width.ascii(32),
    min_reserve_threshold: ngnts,
    ...created,
  },
  project_nav_history: {
    id: width.uuid,
    project_id: width.uuid,
    nav_per_token: nav,
    source: width.ascii(32),
    effective_at: width.timestamptz,
    updated_by: width.uuid,
    notes: width.text(REASON_MAX_CHARS),
    ...created,
  },
  project_cashflows: {
    id: width.uuid,
    project_id: width.uuid,
    amount_ngnts: ngnts,
    source: width.text(CASHFLOW_SOURCE_MAX_CHARS, 'varchar'),
    source_document_url: width.text(DOCUMENT_URL_MAX_CHARS),
    recorded_by: width.uuid,
    verified_by: width.uuid,
    verified_at: width.timestamptz,
    status: width.ascii(16),
    chain_tx_hash: width.text(TX_HASH_MAX_CHARS),
    ...created,
  },
  treasury_pool_transactions: {
    id: width.uuid,
    type: width.ascii(32),
    amount_ngnts: ngnts,
    source_project_id: width.uuid,
    source_wallet: width.text(WALLET_ADDRESS_MAX_CHARS, 'varchar'),
    destination_wallet: width.text(WALLET_ADDRESS_MAX_CHARS, 'varchar'),
    related_tx_hash: width.text(TX_HASH_MAX_CHARS),
    metadata: width.jsonb(METADATA_MAX_CHARS),
    recorded_by: width.uuid,
    cashflow_id: width.uuid,
    redemption_request_id: width.uuid,
    ...created,
  },
  redemption_requests: {
    id: width.uuid,
    user_id: width.uuid,
    project_id: width.uuid,
    tokens_amount: tokens,
    nav_snapshot: nav,
    redemption_value_ngnts: ngnts,
    funding_plan: width.jsonb(FUNDING_PLAN_MAX_CHARS),
    tx_hashes: width.jsonb(TX_HASHES_MAX_CHARS),
    status: width.ascii(32),
    rejection_reason: width.text(REASON_MAX_CHARS),
    decided_by: width.uuid,
    decided_at: width.timestamptz,
    execution_name: width.ascii(80),
    task_token: width.ascii(TASK_TOKEN_MAX_CHARS, 'text'),
    approval_expires_at: width.timestamptz,
    failure_reason: width.text(REASON_MAX_CHARS),
    nav_entry_id: width.uuid,
    reason_code: width.ascii(32),
    processed_at: width.timestamptz,
    ...stamps,
  },
  audit_admin_actions: {
    id: width.uuid,
    admin_id: width.uuid,
    action: width.ascii(128),
    target: UNBOUNDED_JSON,
    details: UNBOUNDED_JSON,
    ...created,
  },
  distribution_events: {
    id: width.uuid,
    project_id: width.uuid,
    event_type: width.ascii(50),
    title: width.text(TITLE_MAX_CHARS, 'varchar'),
    description: width.text(DESCRIPTION_MAX_CHARS),
    total_amount: distributionAmount,
    distribution_date: width.timestamptz,
    status: width.ascii(50),
    snapshot_date: width.timestamptz,
    snapshot_total_lp_tokens: tokens,
    snapshot_nav: nav,
    total_allocated: distributionAmount,
    total_withdrawn: distributionAmount,
    total_pending: distributionAmount,
    created_by: width.uuid,
    approved_by: width.uuid,
    approved_at: width.timestamptz,
    completed_at: width.timestamptz,
    cancelled_by: width.uuid,
    cancelled_at: width.timestamptz,
    cancellation_reason: width.text(REASON_MAX_CHARS),
    snapshot_holder_count: width.int4,
    snapshot_hash: width.ascii(80),
    holders_done: width.int4,
    calculation_state: width.asciiJsonb(STATE_MAX_BYTES),
    calculation_requested_by: width.uuid,
    calculation_requested_at: width.timestamptz,
    calculated_at: width.timestamptz,
    failure_reason: width.text(REASON_MAX_CHARS),
    completion_reason: width.text(REASON_MAX_CHARS),
    ...stamps,
  },
  distribution_allocations: {
    id: width.uuid,
    distribution_event_id: width.uuid,
    project_id: width.uuid,
    lp_token_holder_id: width.uuid,
    lp_tokens_held: tokens,
    ownership_percentage: width.quantity(OWNERSHIP_PERCENTAGE),
    allocated_amount: distributionAmount,
    withdrawn_amount: distributionAmount,
    pending_amount: distributionAmount,
    available_amount: distributionAmount,
    status: width.ascii(50),
    ...stamps,
  },
  distribution_cut_candidates: {
    distribution_event_id: width.uuid,
    dimension: width.ascii(16),
    lp_token_holder_id: width.uuid,
    remainder: width.quantity(CUT_REMAINDER),
  },
  withdrawal_requests: {
    id: width.uuid,
    distribution_allocation_id: width.uuid,
    distribution_event_id: width.uuid,
    project_id: width.uuid,
    lp_token_holder_id: width.uuid,
    amount: distributionAmount,
    status: width.ascii(16),
    requested_by: width.uuid,
    requested_at: width.timestamptz,
    decided_by: width.uuid,
    decided_at: width.timestamptz,
    decision_reason: width.text(REASON_MAX_CHARS),
    paid_by: width.uuid,
    paid_at: width.timestamptz,
    payment_reference: width.text(PAYMENT_REFERENCE_MAX_CHARS, 'varchar'),
    ...stamps,
  },
  distribution_activity_log: {
    id: width.uuid,
    distribution_event_id: width.uuid,
    withdrawal_request_id: width.uuid,
    project_id: width.uuid,
    activity_type: width.ascii(50),
    performed_by: width.uuid,
    previous_status: width.ascii(50),
    new_status: width.ascii(50),
    changes_summary: width.jsonb(ACTIVITY_SUMMARY_MAX_CHARS),
    metadata: width.jsonb(ACTIVITY_METADATA_MAX_CHARS),
    ip_address: width.text(45, 'varchar'),
    user_agent: width.text(USER_AGENT_MAX_CHARS),
    ...created,
  },
  idempotency_records: {
    id: width.text(255, 'varchar'),
    status: width.ascii(16),
    expiry_timestamp: width.int8,
    in_progress_expiry_timestamp: width.int8,
    payload_hash: width.ascii(255),
    // Measured where it is written, in the bytes a Data API answer spends on it (1 a byte here).
    response_data: width.ascii(IDEMPOTENT_RESPONSE_MAX_BYTES, 'text'),
    ...created,
    committed_at: width.timestamptz,
  },
  outbox_messages: {
    id: width.uuid,
    kind: width.ascii(64),
    subject_id: width.uuid,
    destination: width.ascii(32),
    payload: width.jsonb(OUTBOX_PAYLOAD_MAX_CHARS),
    status: width.ascii(16),
    attempts: width.int4,
    next_attempt_at: width.timestamptz,
    locked_until: width.timestamptz,
    last_error: width.text(OUTBOX_ERROR_MAX_CHARS),
    created_at: width.timestamptz,
    settled_at: width.timestamptz,
  },
  reconciler_observations: {
    kind: width.ascii(32),
    subject_id: width.uuid,
    // md5 hex, or empty
    progress: width.ascii(32, 'text'),
    unchanged_since: width.timestamptz,
    heals: width.int4,
    last_healed_at: width.timestamptz,
  },
  dual_control_proposals: {
    id: width.uuid,
    action: width.ascii(32),
    project_id: width.uuid,
    request: width.jsonb(PROPOSAL_REQUEST_MAX_CHARS),
    basis: width.asciiJsonb(PROPOSAL_BASIS_MAX_CHARS),
    status: width.ascii(16),
    proposed_by: width.uuid,
    decided_by: width.uuid,
    decided_at: width.timestamptz,
    decision_reason: width.text(REASON_MAX_CHARS),
    applied_record_id: width.uuid,
    ...created,
    expires_at: width.timestamptz,
  },
  domain_events: {
    id: width.uuid,
    seq: width.int8,
    // xid8: up to 2^64 - 1
    xact_id: width.ascii(20, 'xid8'),
    type: width.ascii(64),
    subject_id: width.uuid,
    detail: width.jsonb(DOMAIN_EVENT_DETAIL_MAX_CHARS),
    occurred_at: width.timestamptz,
  },
} as const satisfies { [Table in keyof Database]: Widths<Database[Table]> };

/** Some columns' widths, by name. */
export function pick<W extends Record<string, ColumnWidth>, K extends keyof W & string>(widths: W, ...names: K[]): Pick<W, K> {
  return Object.fromEntries(names.map((name) => [name, widths[name]])) as Pick<W, K>;
}

/** All but some columns' widths. */
export function omit<W extends Record<string, ColumnWidth>, K extends keyof W & string>(widths: W, ...names: K[]): Omit<W, K> {
  return Object.fromEntries(Object.entries(widths).filter(([name]) => !names.includes(name as K))) as Omit<W, K>;
}

/** The names of these columns, to select them: what a read selects and what its bound counts are one list. */
export const namesOf = <W extends Record<string, ColumnWidth>>(widths: W) => Object.keys(widths) as (keyof W & string)[];
