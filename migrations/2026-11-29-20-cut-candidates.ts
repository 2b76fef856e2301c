import { type Kysely, sql } from 'kysely';

// The allocation calculation writes its rows before it knows exactly where the largest-remainder
// cut falls (shared/distributions/calculation/guessed-write-pass.ts): the holders whose remainder
// lies in the band around its estimate are kept here while the rows are written, and the ones the
// true cut reaches get their unit when the last row is in. Rows live only while an event calculates.
// Frozen in time: this file never imports application code.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE distribution_cut_candidates (
    distribution_event_id uuid NOT NULL REFERENCES distribution_events (id) ON DELETE CASCADE,
    dimension varchar(16) NOT NULL CHECK (dimension IN ('amount', 'percent')),
    lp_token_holder_id uuid NOT NULL,
    remainder numeric(30, 0) NOT NULL CHECK (remainder >= 0),
    PRIMARY KEY (distribution_event_id, dimension, lp_token_holder_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE distribution_cut_candidates`.execute(db);
}
