import { recordAdminAction } from '../audit/admin-actions.repository';
import type { Db } from '../db/client';
import { requestApproval } from '../events/approvals';
import type { Caller } from '../identity/caller';
import { getProject } from '../projects/get-project';
import { type CashflowRow, toCashflowDto } from './cashflow';
import { insertCashflow } from './cashflows.repository';
import type { RecordCashflowInput } from './schemas';

/** Records a project's cashflow as `recorded` by the caller, with its audit row; another admin verifies it. */
export async function recordCashflow(db: Db, admin: Caller, projectId: string, input: RecordCashflowInput): Promise<CashflowRow> {
  return db.transaction().execute(async (trx) => {
    await getProject(trx, projectId);
    const row = await insertCashflow(trx, {
      projectId,
      amount: input.amount_ngnts,
      source: input.source,
      sourceDocumentUrl: input.source_document_url,
      recordedBy: admin.id,
    });
    const { amount_ngnts, source, source_document_url } = toCashflowDto(row);
    await recordAdminAction(trx, {
      adminId: admin.id,
      action: 'cashflow.record',
      target: { cashflow_id: row.id, project_id: projectId },
      details: { amount_ngnts, source, source_document_url },
    });
    await requestApproval(trx, {
      of: 'cashflow',
      subjectId: row.id,
      projectId,
      summary: `Cashflow of ${amount_ngnts} NGNTS awaits verification`,
      facts: {
        amount_ngnts,
        ...(source === null ? {} : { source }),
        ...(source_document_url === null ? {} : { source_document_url }),
        project_id: projectId,
        recorded_by: admin.id,
      },
      whoDecides: `an admin other than its recorder (${admin.id})`,
    });
    return row;
  });
}
