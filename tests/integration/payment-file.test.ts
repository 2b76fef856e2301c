import { describe, expect, it } from 'vitest';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, moveTokens, registerUser } from '../support/fixtures';
import { useQueues } from '../support/queues';

const api = useApi();
const queues = useQueues();

/** An LP whose e-mail address (which the API accepts) begins with a character a spreadsheet reads as a formula. */
const lpWithEmail = (local: string): TestUser => {
  const user = newUser('lp');
  return { ...user, email: `${local}-${user.id.slice(0, 8)}@example.com` };
};

describe('the payment file', () => {
  it('neutralises cells a spreadsheet would read as a formula, and leaves the amounts numbers', async () => {
    // Prepare: holders whose addresses begin with + and -, as z.email() allows
    const admin = newUser('admin');
    const projectId = await createProject(api, admin);
    const plus = lpWithEmail('+cmd');
    const minus = lpWithEmail('-2+3');
    for (const holder of [plus, minus]) {
      await registerUser(api, admin, holder);
      await moveTokens(api, admin, projectId, { kind: 'issue', holder_id: holder.id, amount: '5', effective_at: '2026-01-01T00:00:00Z' });
    }
    const eventId = await createDistribution(api, admin, projectId, { total_amount: '10' });
    await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
    await queues.drainCalculations();

    // Act
    const file = await api.get(`/api/distributions/${eventId}/allocations.csv`, { as: admin });

    // Assess: the address keeps its text behind the apostrophe OWASP recommends; numbers stay as they were
    expect(file.status).toBe(200);
    const cells = Object.fromEntries(
      (file.body as string).trim().split('\r\n').slice(1).map((line) => [line.split(',')[0], line.split(',')]),
    );
    expect(cells[plus.id]).toEqual([plus.id, `'${plus.email}`, '5.0000000', '50.0000000', '5.0000000', '0.0000000', '0.0000000', '5.0000000']);
    expect(cells[minus.id]?.[1]).toBe(`'${minus.email}`);
  });
});
