import { randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Db, getDb } from '../../shared/db/client';
import { listDistributionAllocations } from '../../shared/distributions/queries';
import { NotFoundError } from '../../shared/errors';
import type { Caller } from '../../shared/identity/caller';
import { newUser, type TestUser, useApi } from '../support/api';
import { createDistribution, createProject, seedHolders } from '../support/fixtures';
import { useQueues } from '../support/queues';

/**
 * What a read costs in round trips to the database: every request pays them, and through the
 * Data API each is an HTTPS call (issue 13).
 */

const api = useApi();
const queues = useQueues();

/** The database handle, counting the statements run through it. */
function countingDb(): { db: Db; statements: () => number } {
  let count = 0;
  const counter: KyselyPlugin = {
    transformQuery: ({ node }) => {
      count += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: getDb().withPlugin(counter), statements: () => count };
}

const callerOf = (user: TestUser): Caller => ({ id: user.id, email: user.email, name: user.name, role: user.role });

async function calculatedEvent() {
  const admin = newUser('admin');
  const projectId = await createProject(api, admin);
  const [alice] = await seedHolders(api, admin, projectId, ['300', '700']);
  if (alice === undefined) throw new Error('holders');
  const eventId = await createDistribution(api, admin, projectId);
  await api.post(`/api/distributions/${eventId}/calculate`, undefined, { as: admin });
  await queues.drainCalculations();
  return { admin, alice, projectId, eventId };
}

describe("a page of an event's allocations", () => {
  it('is read in one statement: the rows prove the event exists', async () => {
    // Prepare
    const { admin, alice, eventId } = await calculatedEvent();

    for (const caller of [callerOf(admin), callerOf(alice)]) {
      const { db, statements } = countingDb();

      // Act
      const page = await listDistributionAllocations(db, caller, eventId, { limit: 100 });

      // Assess
      expect(page.items).toHaveLength(caller.role === 'admin' ? 2 : 1);
      expect(statements()).toBe(1);
    }
  });

  it('is empty for an event with no allocations of the caller, and 404 for no event', async () => {
    // Prepare
    const { admin, projectId } = await calculatedEvent();
    const uncalculated = await createDistribution(api, admin, projectId, { title: 'Not calculated' });
    const outsider = newUser('lp', 'outsider');

    // Act
    const empty = await listDistributionAllocations(getDb(), callerOf(admin), uncalculated, { limit: 100 });
    const missing = listDistributionAllocations(getDb(), callerOf(outsider), randomUUID(), { limit: 100 });

    // Assess
    expect(empty).toEqual({ items: [], next_cursor: null });
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
  });
});
