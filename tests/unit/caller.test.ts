import { describe, expect, it } from 'vitest';
import { callerFromClaims, parseGroupsClaim } from '../../shared/http/caller';
import { UnauthenticatedError } from '../../shared/errors';

const sub = '5f0c8a52-3c1e-4a4e-9a55-0e9a3f1f2b11';
const iat = 1_764_000_000;
const issuedAt = new Date(iat * 1000);
/** Claims as API Gateway's JWT authorizer hands them over: every value a string. */
const verified = { sub, email_verified: 'true', iat: String(iat) };

describe('parseGroupsClaim', () => {
  it.each([
    { claim: ['admin', 'lp'], groups: ['admin', 'lp'] },
    { claim: '[admin lp]', groups: ['admin', 'lp'] },
    { claim: '[admin]', groups: ['admin'] },
    { claim: '["admin","lp"]', groups: ['admin', 'lp'] },
    { claim: '[]', groups: [] },
    { claim: 'admin', groups: ['admin'] },
    { claim: undefined, groups: [] },
    { claim: 42, groups: [] },
  ])('reads $claim as $groups', ({ claim, groups }) => {
    expect(parseGroupsClaim(claim)).toEqual(groups);
  });
});

describe('callerFromClaims', () => {
  it('makes an admin of a member of the admin group, in either claim format', () => {
    // Prepare
    const fromToken = { sub, email: 'a@example.com', email_verified: true, iat, 'cognito:groups': ['admin'] };
    const fromGateway = { ...verified, email: 'a@example.com', 'cognito:groups': '[admin]' };

    // Act / Assess
    expect(callerFromClaims(fromToken).role).toBe('admin');
    expect(callerFromClaims(fromGateway)).toEqual({ id: sub, email: 'a@example.com', name: null, role: 'admin', tokenIssuedAt: issuedAt });
  });

  it('makes an LP of anyone outside the admin group', () => {
    expect(callerFromClaims({ ...verified, email: 'l@example.com', name: 'Lee' })).toEqual({
      id: sub,
      email: 'l@example.com',
      name: 'Lee',
      role: 'lp',
      tokenIssuedAt: issuedAt,
    });
    expect(callerFromClaims({ ...verified, email: 'l@example.com', 'cognito:groups': '[administrators]' }).role).toBe('lp');
  });

  // Cognito's ID token carries a JSON boolean; API Gateway's HTTP API hands every claim over as a string.
  it.each([
    { emailVerified: true, email: 'v@example.com' },
    { emailVerified: 'true', email: 'v@example.com' },
    { emailVerified: false, email: null },
    { emailVerified: 'false', email: null },
    { emailVerified: undefined, email: null },
    { emailVerified: 'TRUE', email: null },
    { emailVerified: '1', email: null },
  ])('takes the e-mail only when email_verified is true: $emailVerified gives $email', ({ emailVerified, email }) => {
    const claims = { sub, email: 'v@example.com', iat: String(iat), ...(emailVerified === undefined ? {} : { email_verified: emailVerified }) };
    expect(callerFromClaims(claims).email).toBe(email);
  });

  it.each([
    { iat, case: 'a number' },
    { iat: String(iat), case: 'a string' },
  ])('reads the issue time from $case', ({ iat: claim }) => {
    expect(callerFromClaims({ ...verified, email: 'v@example.com', iat: claim }).tokenIssuedAt).toEqual(issuedAt);
  });

  it.each([
    { case: 'no subject', claims: { email: 'x@example.com', iat } },
    { case: 'a subject that is not a UUID', claims: { sub: 'abc', email: 'x@example.com', iat } },
    { case: 'no email', claims: { sub, iat } },
    { case: 'a malformed email', claims: { sub, email: 'not-an-email', iat } },
    { case: 'an email longer than users.email takes', claims: { ...verified, email: `${'x'.repeat(320)}@example.com` } },
    { case: 'no issue time', claims: { sub, email: 'x@example.com', email_verified: 'true' } },
    { case: 'an issue time that is not a number', claims: { ...verified, email: 'x@example.com', iat: 'yesterday' } },
  ])('refuses a token with $case', ({ claims }) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthenticatedError);
  });
});
