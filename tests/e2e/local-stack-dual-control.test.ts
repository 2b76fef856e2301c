import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../support/local-stack';

const MAKER = '11111111-1111-4111-8111-111111111111';
const CHECKER = '33333333-3333-4333-8333-333333333333';
const withDualControl = useLocalStack({ DUAL_CONTROL: 'on' });
const misconfigured = useLocalStack({ DUAL_CONTROL: 'yes' });

describe('npm start with DUAL_CONTROL', () => {
  it('=on: a NAV entry waits for a second admin', { timeout: 90_000 }, async () => {
    // Prepare
    await withDualControl.start();
    const maker = withDualControl.client(await withDualControl.token('admin', MAKER, 'maker@example.com'));
    const checker = withDualControl.client(await withDualControl.token('admin', CHECKER, 'checker@example.com'));
    const project = (await maker.post('/api/projects', { name: 'Lagos Solar' })).body.id as string;
    await checker.get('/api/proposals');

    // Act
    const proposed = await maker.post(`/api/projects/${project}/nav`, { nav_per_token: '1.25', source: 'audited' });
    const byMaker = await maker.post(`/api/proposals/${proposed.body.id}/approve`);
    const byChecker = await checker.post(`/api/proposals/${proposed.body.id}/approve`);

    // Assess
    expect(withDualControl.output()).toContain('(dual control on)');
    expect(proposed).toMatchObject({ status: 202, body: { status: 'pending', action: 'nav.record' } });
    expect(byMaker.status).toBe(403);
    expect(byChecker).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect((await maker.get(`/api/projects/${project}/nav/latest`)).body.nav_per_token).toBe('1.25000000');
  });

  it('set to anything but on or off stops it before anything starts, naming the variable', { timeout: 60_000 }, async () => {
    await expect(misconfigured.start()).rejects.toThrow(/exited \(1\)[\s\S]*DUAL_CONTROL: must be on or off/);
  });
});
