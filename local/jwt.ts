import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * The local identity provider: an RS256 key pair kept under the data directory, tokens shaped
 * like Cognito ID tokens (sub, email, email_verified, name, cognito:groups, iat), verified the way
 * API Gateway's JWT authorizer verifies them (signature, issuer, audience, expiry).
 */
export const LOCAL_ISSUER = 'https://local.tokenstocks.invalid/idp';
export const LOCAL_AUDIENCE = 'tokenstocks-local';
const ALG = 'RS256';

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface LocalClaims {
  sub: string;
  email: string;
  /** Whether the identity provider has verified the e-mail (default true, as for Cognito users an admin creates verified). */
  emailVerified?: boolean;
  name?: string;
  groups: string[];
  /** The token's `iat` (default now); tests sign older and newer tokens with it. */
  issuedAt?: Date;
}

export interface LocalIdentityProvider {
  sign(claims: LocalClaims, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

async function loadOrCreateKeys(dir: string): Promise<StoredKeys> {
  const file = join(dir, 'jwt-signing-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const keys: StoredKeys = {
    kid: `local-${Date.now().toString(36)}`,
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

export async function localIdentityProvider(dataDir: string): Promise<LocalIdentityProvider> {
  const keys = await loadOrCreateKeys(dataDir);
  const privateKey = await importJWK(keys.privateJwk, ALG);
  const publicKey = await importJWK(keys.publicJwk, ALG);
  return {
    sign: ({ sub, email, emailVerified = true, name, groups, issuedAt }, ttlSeconds = 12 * 3600) =>
      new SignJWT({
        email,
        // A JSON boolean, as in Cognito's ID tokens; API Gateway hands it on as the string "true".
        email_verified: emailVerified,
        ...(name === undefined ? {} : { name }),
        ...(groups.length === 0 ? {} : { 'cognito:groups': groups }),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: ALG, kid: keys.kid })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: async (token) =>
      (await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG] }))
        .payload,
  };
}
