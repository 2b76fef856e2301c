import * as z from '../zod';
import type { Db } from '../db/client';
import { Decimal } from '../decimal';
import { NotFoundError } from '../errors';
import { decodeCursor, type PageRequest, readPage } from '../http/cursor';
import { uuidField } from '../http/schemas';
import { findProjectById } from '../projects/projects.repository';
import { holdersAsOf } from './ledger.repository';
import type { HoldersPageDto } from './schemas';

const holderCursor = z.strictObject({ holder_id: uuidField });

export interface HolderBalance {
  holderId: string;
  email: string | null;
  name: string | null;
  balance: Decimal;
}

/** A page of a project's holders and their balances as of an instant (default: now). */
export async function listHolders(
  db: Db,
  projectId: string,
  query: PageRequest & { asOf?: Date },
): Promise<{ asOf: Date; holders: HolderBalance[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, holderCursor);
  if ((await findProjectById(db, projectId)) === undefined) throw new NotFoundError('Project', projectId);
  const asOf = query.asOf ?? new Date();
  const rows = holdersAsOf(db, projectId, asOf, { after, limit: query.limit });
  const page = await readPage(
    rows,
    query.limit,
    (row): HolderBalance => ({ holderId: row.holder_id, email: row.email, name: row.name, balance: new Decimal(row.balance) }),
    (row) => ({ holder_id: row.holder_id }),
  );
  return { asOf, holders: page.items, nextCursor: page.next_cursor };
}

export const toHoldersPageDto = (page: Awaited<ReturnType<typeof listHolders>>): HoldersPageDto => ({
  as_of: page.asOf.toISOString(),
  items: page.holders.map((holder) => ({
    holder_id: holder.holderId,
    email: holder.email,
    name: holder.name,
    balance: holder.balance.toFixed(7),
  })),
  next_cursor: page.nextCursor,
});
