import * as z from '../zod';
import type { CallerFromToken } from '../identity/caller';
import { UnauthenticatedError } from '../errors';
import { EMAIL_MAX_CHARS, USER_NAME_MAX_CHARS } from '../text-limits';
import { freeText } from './schemas';

export const ADMIN_GROUP = 'admin';

type ClaimValue = string | number | boolean | string[] | undefined;

const claimsSchema = z.object({
  sub: z.uuid(),
  // Required even when unverified: an access token carries no e-mail and is refused here.
  email: z.email().check(z.maxLength(EMAIL_MAX_CHARS)),
  name: z.optional(freeText({ max: USER_NAME_MAX_CHARS, trim: false })),
  // Seconds since the epoch: a number in the token, a string of digits from API Gateway.
  iat: z.union([z.number().check(z.int(), z.positive()), z.pipe(z.string().check(z.regex(/^[1-9][0-9]{0,11}$/)), z.transform(Number))]),
});

/**
 * Cognito's ID token carries `email_verified` as a JSON boolean; API Gateway's HTTP API JWT
 * authorizer hands every claim over as a string, so it arrives as `"true"`. Anything else (absent,
 * false, another spelling) leaves the e-mail unverified.
 */
export function isEmailVerified(value: ClaimValue): boolean {
  return value === true || value === 'true';
}

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

/**
 * Builds the caller from verified JWT claims; a token without a usable subject, e-mail or issue
 * time is refused. The e-mail is kept only when the identity provider has verified it.
 */
export function callerFromClaims(claims: Record<string, ClaimValue>): CallerFromToken {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw new UnauthenticatedError('The token does not carry a valid subject, email and issue time');
  }
  const groups = parseGroupsClaim(claims['cognito:groups']);
  return {
    id: parsed.data.sub,
    email: isEmailVerified(claims.email_verified) ? parsed.data.email : null,
    name: parsed.data.name ?? null,
    role: groups.includes(ADMIN_GROUP) ? 'admin' : 'lp',
    tokenIssuedAt: new Date(parsed.data.iat * 1000),
  };
}
