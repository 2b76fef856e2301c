import { z } from 'zod';
import type { UserRole } from '../db/schema';
import { UnauthenticatedError } from '../errors';
import { freeText } from './schemas';
import { USER_NAME_MAX_CHARS } from '../users/schemas';

/** The authenticated user making a request, as the identity provider vouches for them. */
export interface Caller {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
}

export const ADMIN_GROUP = 'admin';

type ClaimValue = string | number | boolean | string[] | undefined;

const claimsSchema = z.object({
  sub: z.uuid(),
  email: z.email(),
  name: freeText({ max: USER_NAME_MAX_CHARS, trim: false }).optional(),
});

/**
 * Groups arrive as a JSON array from a decoded token, but API Gateway's HTTP API JWT authorizer
 * flattens array claims into one string such as `[admin lp]`. Both forms are accepted.
 */
export function parseGroupsClaim(value: ClaimValue): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  if (inner.startsWith('"')) {
    try {
      return z.array(z.string()).parse(JSON.parse(`[${inner}]`));
    } catch {
      return [];
    }
  }
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** Builds the caller from verified JWT claims; a token without a usable subject or email is refused. */
export function callerFromClaims(claims: Record<string, ClaimValue>): Caller {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw new UnauthenticatedError('The token does not carry a valid subject and email');
  }
  const groups = parseGroupsClaim(claims['cognito:groups']);
  return {
    id: parsed.data.sub,
    email: parsed.data.email,
    name: parsed.data.name ?? null,
    role: groups.includes(ADMIN_GROUP) ? 'admin' : 'lp',
  };
}
