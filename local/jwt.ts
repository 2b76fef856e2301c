import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * The local identity provider: an RS256 key pair kept under the data directory, tokens shaped
 * like Cognito ID tokens (sub, email, name, cognito:groups), verified the way API Gateway's JWT
 * authorizer verifies them (signature, issuer, audience, expiry).
 */
export const LOCAL_ISSUER = 'https://local.tokenstocks.invalid/idp';
export const LOCAL_AUDIENCE = 'tokenstocks-local';
const ALG = 'RS256';

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface LocalIdentityProvider {
  sign(claims: { sub: string; email: string; name?: string; groups: string[] }, ttlSeconds?: number): Promise<string>;
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
    sign: ({ sub, email, name, groups }, ttlSeconds = 12 * 3600) =>
      new SignJWT({
        email,
        ...(name === undefined ? {} : { name }),
        ...(groups.length === 0 ? {} : { 'cognito:groups': groups }),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: ALG, kid: keys.kid })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
    verify: async (token) =>
      (await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG] }))
        .payload,
  };
}
