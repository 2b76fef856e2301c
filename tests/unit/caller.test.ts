import { describe, expect, it } from 'vitest';
import { callerFromClaims, parseGroupsClaim } from '../../shared/http/caller';
import { UnauthenticatedError } from '../../shared/errors';

const sub = '5f0c8a52-3c1e-4a4e-9a55-0e9a3f1f2b11';

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
    const fromToken = { sub, email: 'a@example.com', 'cognito:groups': ['admin'] };
    const fromGateway = { sub, email: 'a@example.com', 'cognito:groups': '[admin]' };

    // Act / Assess
    expect(callerFromClaims(fromToken).role).toBe('admin');
    expect(callerFromClaims(fromGateway)).toEqual({ id: sub, email: 'a@example.com', name: null, role: 'admin' });
  });

  it('makes an LP of anyone outside the admin group', () => {
    expect(callerFromClaims({ sub, email: 'l@example.com', name: 'Lee' })).toEqual({
      id: sub,
      email: 'l@example.com',
      name: 'Lee',
      role: 'lp',
    });
    expect(callerFromClaims({ sub, email: 'l@example.com', 'cognito:groups': '[administrators]' }).role).toBe('lp');
  });

  it.each([
    { case: 'no subject', claims: { email: 'x@example.com' } },
    { case: 'a subject that is not a UUID', claims: { sub: 'abc', email: 'x@example.com' } },
    { case: 'no email', claims: { sub } },
    { case: 'a malformed email', claims: { sub, email: 'not-an-email' } },
  ])('refuses a token with $case', ({ claims }) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthenticatedError);
  });
});
