import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { until, useLocalStack } from '../support/local-stack';

const ADMIN = '11111111-1111-4111-8111-111111111111';
const LP = '22222222-2222-4222-8222-222222222222';
// Warnings on: a lost database connection writes a warning.
const stack = useLocalStack({ POWERTOOLS_LOG_LEVEL: 'WARN' });

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The process group of a process (Linux: the field after the state in /proc/<pid>/stat). */
const processGroupOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);

describe('npm start, stopped with Ctrl-C', () => {
  it('closes its functions and pools before Postgres: no connection lost, exit 0, nothing left running', { timeout: 120_000 }, async () => {
    // Prepare: npm start as a terminal runs it, and traffic that leaves routes, a worker and
    // workflow steps warm, holding database connections, within a pool's idle timeout (10 s) of
    // the migrations, whose connection the stack itself holds
    const adminToken = await stack.token('admin', ADMIN, 'admin@example.com');
    const lpToken = await stack.token('lp', LP, 'lp@example.com');
    await stack.start({ via: 'npm' });
    const admin = stack.client(adminToken);
    const lp = stack.client(lpToken);
    await admin.post('/api/users', { id: LP, email: 'lp@example.com', role: 'lp' });
    const project = (await admin.post('/api/projects', { name: 'Lagos Solar' })).body.id as string;
    await admin.post(`/api/projects/${project}/lp-tokens`, { kind: 'issue', holder_id: LP, amount: '1000', effective_at: '2026-01-01T00:00:00Z' });
    const event = (
      await admin.post('/api/distributions', {
        project_id: project,
        event_type: 'revenue',
        title: 'Q1 revenue',
        total_amount: '250000.50',
        distribution_date: '2026-03-31T00:00:00Z',
      })
    ).body.id as string;
    await admin.post(`/api/distributions/${event}/calculate`);
    await admin.post('/api/wallets', { address: '0xpool', wallet_type: 'treasury', min_reserve_threshold: '500' });
    await admin.post('/api/treasury/transactions', { type: 'inflow', amount_ngnts: '1000.10' });
    await admin.post(`/api/projects/${project}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const redemption = (await lp.post('/api/redemptions', { project_id: project, tokens_amount: '200' })).body.id as string;
    await until(async () => ((await admin.get(`/api/distributions/${event}`)).body.status === 'calculated' ? true : undefined));
    await until(async () => ((await lp.get(`/api/redemptions/${redemption}`)).body.status === 'awaiting_approval' ? true : undefined));
    const group = stack.processGroup() ?? 0;
    const postmaster = Number(readFileSync(join(stack.dataDir(), 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const postmasterGroup = processGroupOf(postmaster);
    const before = stack.output().length;

    // Act
    const exit = await stack.interrupt();

    // Assess: the Ctrl-C never reached Postgres, which the stack stopped last, cleanly
    const shutdown = stack.output().slice(before);
    expect(postmasterGroup).not.toBe(group);
    expect(shutdown).toMatch(/SIGINT: stopping\n(.*\n)*stopped\n$/);
    expect(shutdown).not.toMatch(/connection lost|terminating connection/i);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isRunning(postmaster)).toBe(false);
    expect(existsSync(join(stack.dataDir(), 'postgres', 'postmaster.pid'))).toBe(false);
    expect(isRunning(-group)).toBe(false);
  });
});
