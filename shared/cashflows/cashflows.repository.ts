import type { UpdateObject } from 'kysely';
import type { Db } from '../db/client';
import { afterCreated, type CreatedKey, createdKeyOf, instantKey, instantKeyWidth, readByKey } from '../db/keyset';
import { readBound } from '../db/result-size';
import type { Database } from '../db/schema';
import { numeric, uuid } from '../db/sql-values';
import { tableWidths } from '../db/table-widths';
import type { Decimal } from '../decimal';

const cashflowRow = readBound(tableWidths.project_cashflows, 1);
const cashflowPage = readBound({ ...tableWidths.project_cashflows, created_at_key: instantKeyWidth });
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

/** A page of a project's cashflows, newest first, optionally in one status, read in as many calls as its rows need. */
export function listProjectCashflows(
  db: Db,
  projectId: string,
  filter: { status?: CashflowStatus },
  page: { after?: CreatedKey; limit: number },
) {
  return readByKey(page, cashflowPage.rowsPerCall, createdKeyOf, (after, limit) => {
    let query = db
      .selectFrom('project_cashflows')
      .selectAll()
      .select(instantKey('created_at').as('created_at_key'))
      .where('project_id', '=', uuid(projectId));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (after !== undefined) query = query.where(afterCreated(after));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  });
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  insertCashflow: cashflowRow,
  lockCashflow: cashflowRow,
  updateCashflow: cashflowRow,
  listProjectCashflows: cashflowPage,
};
