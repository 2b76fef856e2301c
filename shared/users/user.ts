import type { UserRole, UserRow } from '../db/schema';
import type { UserDto } from './schemas';

export interface User {
  id: string;
  /** Null: no e-mail anyone vouches for (README, Conventions). */
  email: string | null;
  name: string | null;
  role: UserRole;
  createdAt: Date;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
});

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  created_at: user.createdAt.toISOString(),
});
