import type { Selectable } from 'kysely';
import type { ProjectNavHistoryTable } from '../db/schema';
import { decimalText } from '../http/schemas';
import { asText, NAV_PER_TOKEN } from '../quantities';
import type { NavEntryDto } from './schemas';

export type NavEntryRow = Selectable<ProjectNavHistoryTable>;

/** NAV per token goes on the wire at its type's scale, e.g. "1.25000000". */
export const NAV_SCALE = NAV_PER_TOKEN.scale;

/** NAV per token as the API writes it, e.g. "1.25000000" (response schemas). */
export const navText = decimalText(NAV_PER_TOKEN);

export const toNavEntryDto = (row: NavEntryRow): NavEntryDto => ({
  id: row.id,
  project_id: row.project_id,
  nav_per_token: asText(NAV_PER_TOKEN, row.nav_per_token),
  source: row.source,
  effective_at: row.effective_at.toISOString(),
  notes: row.notes,
  updated_by: row.updated_by,
  created_at: row.created_at.toISOString(),
});
