import type { UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, instantKey } from '../db/keyset';
import type { Database } from '../db/schema';
import { numeric, uuid } from '../db/sql-values';
import type { Decimal } from '../decimal';
import type { CashflowRow, CashflowStatus } from './cashflow';

export interface NewCashflow {
  projectId: string;
  amount: Decimal;
  source: string;
  sourceDocumentUrl: string;
  recordedBy: string;
}

export async function insertCashflow(db: Db, cashflow: NewCashflow): Promise<CashflowRow> {
  return db
    .insertInto('project_cashflows')
    .values({
      project_id: uuid(cashflow.projectId),
      amount_ngnts: numeric(cashflow.amount),
      source: cashflow.source,
      source_document_url: cashflow.sourceDocumentUrl,
      recorded_by: uuid(cashflow.recordedBy),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Reads the cashflow and locks it until the transaction ends: its status changes take turns on it. */
export async function lockCashflow(db: Db, id: string): Promise<CashflowRow | undefined> {
  return db.selectFrom('project_cashflows').selectAll().where('id', '=', uuid(id)).forUpdate().executeTakeFirst();
}

export async function updateCashflow(
  db: Db,
  id: string,
  changes: UpdateObject<Database, 'project_cashflows'>,
): Promise<CashflowRow> {
  return db.updateTable('project_cashflows').set(changes).where('id', '=', uuid(id)).returningAll().executeTakeFirstOrThrow();
}

/** A page of a project's cashflows, newest first, optionally in one status. */
export async function listProjectCashflows(
  db: Db,
  projectId: string,
  filter: { status?: CashflowStatus },
  page: { after?: CreatedKey; limit: number },
) {
  let query = db
    .selectFrom('project_cashflows')
    .selectAll()
    .select(instantKey('created_at').as('created_at_key'))
    .where('project_id', '=', uuid(projectId));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (page.after !== undefined) query = query.where(afterCreated(page.after));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
