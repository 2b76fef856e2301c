import { recordAdminAction } from '../audit/admin-actions.repository';
import type { CashflowRow } from '../cashflows/cashflow';
import { lockCashflow } from '../cashflows/cashflows.repository';
import type { Db } from '../db/client';
import { actingAdminId, approvalDetails, type Authorship, directly } from '../dual-control/authorship';
import type { PlatformWalletRow } from '../db/schema';
import { Decimal } from '../decimal';
import { ConflictError, RuleViolationError } from '../errors';
import type { Caller } from '../identity/caller';
import { findProjectById } from '../projects/projects.repository';
import { findTransactionForCashflow, findTreasuryPool, type NewTreasuryTransaction } from './accounts.repository';
import { type Account, FLOWS } from './flows';
import { moveFunds } from './move-funds';
import { ngntsString } from './ngnts';
import type { RecordTreasuryTransactionInput } from './schemas';
import { type TreasuryTransactionRow, toTreasuryTransactionDto } from './transaction';

/** The address on one side of a transaction: null for the outside world. */
function addressFor(
  account: Account,
  given: string | undefined,
  pool: PlatformWalletRow | undefined,
  field: 'source_wallet' | 'destination_wallet',
): string | null {
  if (account === 'outside') return null;
  if (account !== 'pool') return given ?? null;
  if (pool === undefined) throw new RuleViolationError('No treasury pool wallet is registered', { field });
  if (given !== undefined && given !== pool.address) {
    throw new RuleViolationError(`${field} must be the treasury pool, ${pool.address}, or be left out`, {
      field,
      treasury_pool_address: pool.address,
    });
  }
  return pool.address;
}

/**
 * The verified cashflow an inflow brings into the pool, locked so that two inflows of it take
 * turns: refused if it is not verified yet or was already brought in (409), or if the amount or
 * project differ from it (422).
 */
async function cashflowToBringIn(
  trx: Db,
  input: RecordTreasuryTransactionInput & { cashflow_id: string },
): Promise<CashflowRow> {
  const cashflow = await lockCashflow(trx, input.cashflow_id);
  if (cashflow === undefined) {
    throw new RuleViolationError(`Cashflow ${input.cashflow_id} does not exist`, { cashflow_id: input.cashflow_id });
  }
  if (cashflow.status === 'recorded') {
    throw new ConflictError(`Cashflow ${cashflow.id} is recorded; it must be verified before it comes into the pool`, {
      current_status: cashflow.status,
    });
  }
  const earlier = await findTransactionForCashflow(trx, cashflow.id);
  if (earlier !== undefined) {
    throw new ConflictError(`Cashflow ${cashflow.id} was already brought into the pool by transaction ${earlier.id}`, {
      treasury_transaction_id: earlier.id,
    });
  }
  const amount = new Decimal(cashflow.amount_ngnts);
  if (!amount.equals(input.amount_ngnts)) {
    throw new RuleViolationError(`amount_ngnts must be the cashflow's amount, ${ngntsString(amount)}`, {
      cashflow_amount_ngnts: ngntsString(amount),
    });
  }
  if (input.source_project_id !== undefined && input.source_project_id !== cashflow.project_id) {
    throw new RuleViolationError(`Cashflow ${cashflow.id} belongs to project ${cashflow.project_id}`, {
      cashflow_project_id: cashflow.project_id,
    });
  }
  return cashflow;
}

/** A transaction that has passed a write's checks, its pool side filled in: written at once, or proposed. */
export type TransactionPlan = Omit<NewTreasuryTransaction, 'recordedBy' | 'redemptionRequestId'> & {
  sourceProjectId: string | null;
  relatedTxHash: string | null;
  metadata: Record<string, unknown> | null;
  cashflowId: string | null;
};

/**
 * A treasury transaction's checks inside the caller's transaction: the accounts its type allows
 * (./flows.ts), the pool's side filled in, the source project, and a cashflow it brings in
 * (locked, so two inflows of it take turns). Wallets are locked and reserves checked when it is
 * written (moveFunds).
 */
export async function prepareTreasuryTransaction(trx: Db, input: RecordTreasuryTransactionInput): Promise<TransactionPlan> {
  const flow = FLOWS[input.type];
  const { cashflow_id, source_project_id: projectId } = input;
  const cashflow = cashflow_id === undefined ? undefined : await cashflowToBringIn(trx, { ...input, cashflow_id });
  if (projectId !== undefined && (await findProjectById(trx, projectId)) === undefined) {
    throw new RuleViolationError(`Project ${projectId} does not exist`, { project_id: projectId });
  }
  const pool = flow.from === 'pool' || flow.to === 'pool' ? await findTreasuryPool(trx) : undefined;
  const sourceWallet = addressFor(flow.from, input.source_wallet, pool, 'source_wallet');
  const destinationWallet = addressFor(flow.to, input.destination_wallet, pool, 'destination_wallet');
  if (sourceWallet === destinationWallet) {
    const detail = `A ${input.type} cannot move money from ${sourceWallet} to itself`;
    throw new RuleViolationError(detail, { wallet: sourceWallet });
  }
  return {
    type: input.type,
    amount: input.amount_ngnts,
    sourceWallet,
    destinationWallet,
    sourceProjectId: projectId ?? cashflow?.project_id ?? null,
    relatedTxHash: input.related_tx_hash ?? null,
    metadata: input.metadata ?? null,
    cashflowId: cashflow?.id ?? null,
  };
}

/** Writes a prepared transaction (moveFunds: wallets locked, reserves kept) with its audit row. */
export async function writeTreasuryTransaction(trx: Db, plan: TransactionPlan, by: Authorship): Promise<TreasuryTransactionRow> {
  const row = await moveFunds(trx, { ...plan, recordedBy: by.authorId });
  const { id, ...details } = toTreasuryTransactionDto(row);
  await recordAdminAction(trx, {
    adminId: actingAdminId(by),
    action: `treasury.${plan.type}`,
    target: { treasury_transaction_id: id },
    details: { ...details, ...approvalDetails(by) },
  });
  return row;
}

/**
 * Records a treasury transaction between the accounts its type allows (./flows.ts), filling in
 * the pool's side, with its audit row. An outflow is checked against the source's minimum reserve
 * under the wallet's lock; an inflow may bring in a verified cashflow, once.
 */
export async function recordTreasuryTransaction(
  db: Db,
  admin: Caller,
  input: RecordTreasuryTransactionInput,
): Promise<TreasuryTransactionRow> {
  return db.transaction().execute(async (trx) =>
    writeTreasuryTransaction(trx, await prepareTreasuryTransaction(trx, input), directly(admin)),
  );
}
