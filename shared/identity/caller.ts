import type { UserRole } from '../db/schema';

/** The authenticated user making a request, as the identity provider vouches for them. */
export interface Caller {
  id: string;
  /** The token's e-mail when the identity provider has verified it (`email_verified`); else null. */
  email: string | null;
  name: string | null;
  role: UserRole;
}

/** The caller as their token states them, with what keeping their users row in step needs. */
export interface CallerFromToken extends Caller {
  /** When the identity provider issued the token (`iat`): of two tokens, the later one speaks for the user. */
  tokenIssuedAt: Date;
}

/** Where a request came from, for audit rows. */
export interface RequestMeta {
  requestId: string;
  sourceIp: string | null;
  userAgent: string | null;
}
