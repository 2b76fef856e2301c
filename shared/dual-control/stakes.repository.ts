import { sql } from 'kysely';
import type { Db } from '../db/client';
import { readBound, width } from '../db/result-size';
import { uuid } from '../db/sql-values';

/** What an admin had a hand in, of what a redemption pays for. */
export interface ApproverStake {
  /** They made the NAV entry it was valued at. */
  made_nav: boolean;
  /** They made a movement that gave its LP tokens of the project (an issue, or a transfer to them). */
  gave_tokens: boolean;
}

/** The admin's stake in a redemption's value: lp_token_movements_to_idx and the NAV entry's key. */
export async function approverStake(
  db: Db,
  stake: { adminId: string; projectId: string; holderId: string; navEntryId: string | null },
): Promise<ApproverStake> {
  const madeNav =
    stake.navEntryId === null
      ? sql<boolean>`false`
      : sql<boolean>`EXISTS (SELECT 1 FROM project_nav_history WHERE id = ${uuid(stake.navEntryId)} AND updated_by = ${uuid(stake.adminId)})`;
  const { rows } = await sql<ApproverStake>`
    SELECT ${madeNav} AS made_nav,
      EXISTS (SELECT 1 FROM lp_token_movements WHERE project_id = ${uuid(stake.projectId)}
        AND to_holder_id = ${uuid(stake.holderId)} AND recorded_by = ${uuid(stake.adminId)}) AS gave_tokens`.execute(db);
  const row = rows[0];
  return { made_nav: row?.made_nav === true, gave_tokens: row?.gave_tokens === true };
}

/** What each read above answers at most (tests/unit/read-bounds.test.ts). */
export const readBounds = {
  approverStake: readBound({ made_nav: width.bool, gave_tokens: width.bool }, 1),
};
