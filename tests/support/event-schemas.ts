import { sql } from 'kysely';
import { getDb } from '../../shared/db/client';
import { DOMAIN_EVENTS, type DomainEventType } from '../../shared/events/catalog';

/**
 * Checks every domain event the database holds against its type's schema (shared/events/catalog.ts,
 * whence docs/events/*.schema.json): what recordDomainEvent writes is checked as it is written,
 * but the bulk rejection at a distribution's completion builds its events in SQL, and a schema
 * may change under events already recorded. Throws naming the first event that does not hold.
 */
export async function expectRecordedEventsMatchTheirSchemas(): Promise<number> {
  const db = getDb();
  const { rows: exists } = await sql<{ table: string | null }>`SELECT to_regclass('domain_events')::text AS table`.execute(db);
  // A migration test may have taken the schema below the migration that makes the table.
  if (exists[0]?.table == null) return 0;
  let checked = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // A few at a time: through the Data API an answer holds 1 MiB, and a detail up to 18 KB.
    const { rows } = await sql<{ id: string; type: string; detail: unknown }>`
      SELECT id::text AS id, type, detail FROM domain_events WHERE id > ${after}::uuid ORDER BY id LIMIT 40`.execute(db);
    for (const row of rows) {
      const definition = DOMAIN_EVENTS[row.type as DomainEventType];
      if (definition === undefined) throw new Error(`domain event ${row.id} has the undocumented type ${row.type}`);
      const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
      const result = definition.detail.safeParse(detail);
      if (!result.success) throw new Error(`domain event ${row.id} (${row.type}) breaks its schema: ${result.error.message}\n${JSON.stringify(detail)}`);
    }
    checked += rows.length;
    const last = rows.at(-1);
    if (last === undefined || rows.length < 40) return checked;
    after = last.id;
  }
}
