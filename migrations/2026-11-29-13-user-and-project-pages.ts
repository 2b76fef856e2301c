import { type Kysely, sql } from 'kysely';

// The pages of GET /api/users (newest first, optionally of one role) and GET /api/projects
// (newest first), read in key order from an index instead of sorting the whole table per page:
// there is a user for every LP. An e-mail filter reads users_email_unique_idx.
// Frozen in time: this file never imports application code.
// One statement per query, because the RDS Data API runs one statement per call.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE INDEX users_page_idx ON users (created_at DESC, id DESC)`,
    sql`CREATE INDEX users_role_page_idx ON users (role, created_at DESC, id DESC)`,
    sql`CREATE INDEX projects_page_idx ON projects (created_at DESC, id DESC)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [sql`DROP INDEX projects_page_idx`, sql`DROP INDEX users_role_page_idx`, sql`DROP INDEX users_page_idx`];
  for (const statement of statements) await statement.execute(db);
}
