import type { UpdateObject } from 'kysely';
import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import type { Database } from '../db/schema';
import { databaseNow, uuid } from '../db/sql-values';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { type NewDomainEvent, recordDomainEvent } from '../events/record-domain-event';
import { ngntsString } from '../treasury/ngnts';
import type { Caller } from '../identity/caller';
import type { CashflowRow, CashflowStatus } from './cashflow';
import { lockCashflow, updateCashflow } from './cashflows.repository';

/** A cashflow's statuses only move forward, one step at a time: recorded → verified → tokenized. */
interface Transition {
  verb: string;
  from: CashflowStatus;
  to: CashflowStatus;
  auditAction: string;
  /** Refuses the transition (by throwing) when this admin may not make it. */
  guard?: (cashflow: CashflowRow, admin: Caller) => void;
  changes: (admin: Caller) => UpdateObject<Database, 'project_cashflows'>;
  details?: Record<string, unknown>;
  /** The domain event that tells of it, if another system cares (shared/events/catalog.ts). */
  told?: (updated: CashflowRow, admin: Caller) => NewDomainEvent;
}

/** Locks the cashflow, checks the step is the next one, applies it with its audit row. */
async function transition(db: Db, admin: Caller, cashflowId: string, spec: Transition): Promise<CashflowRow> {
  return db.transaction().execute(async (trx) => {
    const cashflow = await lockCashflow(trx, cashflowId);
    if (cashflow === undefined) throw new NotFoundError('Cashflow', cashflowId);
    if (cashflow.status !== spec.from) {
      throw new ConflictError(`Cannot ${spec.verb} a cashflow that is ${cashflow.status}; it must be ${spec.from}`, {
        current_status: cashflow.status,
        required_status: spec.from,
      });
    }
    spec.guard?.(cashflow, admin);
    const updated = await updateCashflow(trx, cashflowId, { status: spec.to, ...spec.changes(admin) });
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: spec.auditAction,
      target: { cashflow_id: cashflowId, project_id: cashflow.project_id },
      details: { previous_status: cashflow.status, new_status: spec.to, ...spec.details },
    });
    if (spec.told !== undefined) await recordDomainEvent(trx, spec.told(updated, admin));
    return updated;
  });
}

/**
 * Verifies a recorded cashflow against its source document. Four eyes: the admin who recorded it
 * may not verify it (403; the database refuses it too).
 */
export const verifyCashflow = (db: Db, admin: Caller, cashflowId: string) =>
  transition(db, admin, cashflowId, {
    verb: 'verify',
    from: 'recorded',
    to: 'verified',
    auditAction: 'cashflow.verify',
    guard: (cashflow, caller) => {
      if (cashflow.recorded_by === caller.id) {
        throw new ForbiddenError('A cashflow must be verified by an admin other than the one who recorded it', {
          recorded_by: cashflow.recorded_by,
        });
      }
    },
    changes: (caller) => ({ verified_by: uuid(caller.id), verified_at: databaseNow() }),
    told: (verified, by) => ({
      type: 'cashflow.verified',
      subjectId: verified.id,
      detail: {
        project_id: verified.project_id,
        cashflow_id: verified.id,
        amount_ngnts: ngntsString(verified.amount_ngnts),
        recorded_by: verified.recorded_by,
        verified_by: by.id,
      },
    }),
  });

/** Marks a verified cashflow as tokenized on chain, with the transaction's hash. */
export const tokenizeCashflow = (db: Db, admin: Caller, cashflowId: string, chainTxHash: string) =>
  transition(db, admin, cashflowId, {
    verb: 'tokenize',
    from: 'verified',
    to: 'tokenized',
    auditAction: 'cashflow.tokenize',
    changes: () => ({ chain_tx_hash: chainTxHash }),
    details: { chain_tx_hash: chainTxHash },
  });
