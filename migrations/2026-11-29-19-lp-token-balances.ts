import { type Kysely, sql } from 'kysely';

// `lp_allocations` held each holder's current LP token balance, while `distribution_allocations`
// holds revenue shares: the balances table is renamed to say what it holds, with the
// constraints and index named after it. Data stays in place (a rename, not a copy).
// Frozen in time: this file never imports application code.

const renames: ReadonlyArray<readonly ['TABLE' | 'CONSTRAINT' | 'INDEX', string, string]> = [
  ['TABLE', 'lp_allocations', 'lp_token_balances'],
  ['CONSTRAINT', 'lp_allocations_pkey', 'lp_token_balances_pkey'],
  ['CONSTRAINT', 'lp_allocations_balance_check', 'lp_token_balances_balance_check'],
  ['CONSTRAINT', 'lp_allocations_lp_token_holder_id_fkey', 'lp_token_balances_lp_token_holder_id_fkey'],
  ['CONSTRAINT', 'lp_allocations_project_id_fkey', 'lp_token_balances_project_id_fkey'],
  ['INDEX', 'lp_allocations_holder_idx', 'lp_token_balances_holder_idx'],
];

function rename(kind: 'TABLE' | 'CONSTRAINT' | 'INDEX', table: string, from: string, to: string) {
  if (kind === 'TABLE') return sql`ALTER TABLE ${sql.id(from)} RENAME TO ${sql.id(to)}`;
  if (kind === 'INDEX') return sql`ALTER INDEX ${sql.id(from)} RENAME TO ${sql.id(to)}`;
  return sql`ALTER TABLE ${sql.id(table)} RENAME CONSTRAINT ${sql.id(from)} TO ${sql.id(to)}`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [kind, from, to] of renames) await rename(kind, 'lp_token_balances', from, to).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [kind, from, to] of [...renames].reverse()) await rename(kind, 'lp_token_balances', to, from).execute(db);
}
