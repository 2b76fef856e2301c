import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIdentityProvider } from '../../local/jwt';

const ROOT = resolve(import.meta.dirname, '../..');
const sub = '33333333-3333-4333-8333-333333333333';
let dataDir = '';

/** `npm run token -- …` as the README runs it, under a DATA_DIR of its own. */
async function npmRunToken(...args: string[]) {
  return promisify(execFile)(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', 'local/token.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
  });
}

async function claimsOf(token: string) {
  return (await localIdentityProvider(dataDir)).verify(token.trim());
}

describe('npm run token', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tokenstocks-token-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('issues a verified e-mail by default, as Cognito does for users an admin creates', async () => {
    const { stdout } = await npmRunToken('--role', 'lp', '--sub', sub, '--email', 'lp@example.com');
    expect(await claimsOf(stdout)).toMatchObject({ sub, email: 'lp@example.com', email_verified: true, iat: expect.any(Number) });
  });

  it('issues an unverified e-mail when told to', async () => {
    const { stdout } = await npmRunToken('--role', 'admin', '--sub', sub, '--email', 'a@example.com', '--email-verified', 'false');
    expect(await claimsOf(stdout)).toMatchObject({ email: 'a@example.com', email_verified: false, 'cognito:groups': ['admin'] });
  });

  it('refuses anything but true or false', async () => {
    await expect(npmRunToken('--sub', sub, '--email-verified', 'yes')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--email-verified') });
  });
});
