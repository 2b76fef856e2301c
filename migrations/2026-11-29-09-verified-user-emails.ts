import { type Kysely, sql } from 'kysely';

// A user is their identity provider's subject; their e-mail is an attribute the provider vouches
// for, which can move to another user. `email` may be empty (nobody has vouched for one, or it
// moved on), and `email_set_at` says how recent the word that set it is, so that only a newer
// word replaces it.
// Frozen in time: this file never imports application code.
// One statement per query, because the RDS Data API runs one statement per call.

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE users ALTER COLUMN email DROP NOT NULL`,
    // The issue time of the token that brought the e-mail, or when an admin set it. Null: older
    // than any token (an admin's pre-registration, and every e-mail written before this migration,
    // none of them checked against email_verified).
    sql`ALTER TABLE users ADD COLUMN email_set_at timestamptz`,
    sql`ALTER TABLE users ADD CONSTRAINT users_email_set_at_check CHECK (email IS NOT NULL OR email_set_at IS NULL)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE users DROP CONSTRAINT users_email_set_at_check`,
    sql`ALTER TABLE users DROP COLUMN email_set_at`,
    // The schema before this migration needs an e-mail on every user: one that can reach no one.
    sql`UPDATE users SET email = id::text || '@no-email.invalid' WHERE email IS NULL`,
    sql`ALTER TABLE users ALTER COLUMN email SET NOT NULL`,
  ];
  for (const statement of statements) await statement.execute(db);
}
