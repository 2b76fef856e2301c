import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes';
import { README, renderEventSchema, renderTypeTable, schemaFileOf, schemaFilesOnDisk } from '../../local/event-schemas';
import { approvalNotice, DECISION_ROUTES } from '../../shared/events/approvals';
import { APPROVAL_OF, APPROVAL_SUMMARY_MAX_CHARS, DOMAIN_EVENT_TYPES } from '../../shared/events/catalog';
import type { RouteDefinition } from '../../shared/http/route';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the documented domain events (run `npm run event-schemas` after changing shared/events/catalog.ts)', () => {
  it.each(DOMAIN_EVENT_TYPES)('%s has its JSON Schema in docs/events/, as the catalog states it', (type) => {
    expect(read(schemaFileOf(type))).toBe(renderEventSchema(type));
  });

  it('has no schema in docs/events/ for a type the catalog does not know', () => {
    expect(schemaFilesOnDisk().sort()).toEqual(DOMAIN_EVENT_TYPES.map(schemaFileOf).sort());
  });

  it('lists every type in the README, as the catalog describes it', () => {
    expect(read(README)).toContain(renderTypeTable());
  });
});

describe('what approvers are told', () => {
  const table = Object.values(routes) as RouteDefinition[];

  it.each(APPROVAL_OF)('names routes of the table that admins call to decide a %s', (kind) => {
    for (const decision of DECISION_ROUTES[kind]) {
      const route = table.find((candidate) => candidate.method === decision.method && candidate.path === decision.path);
      expect(route, `${decision.method} ${decision.path}`).toBeDefined();
      expect(route?.access).toEqual(['admin']);
      // A route whose body requires a field says so in the notification.
      const body = route?.request.body;
      expect(decision.body === null, `${decision.path} body`).toBe(body === undefined || body.safeParse(undefined).success);
    }
  });

  it('fits the longest summary into an SNS subject (100 characters)', () => {
    const notice = approvalNotice({
      event_id: crypto.randomUUID(),
      subject_id: crypto.randomUUID(),
      occurred_at: new Date().toISOString(),
      approval_of: 'withdrawal',
      project_id: null,
      summary: 'x'.repeat(APPROVAL_SUMMARY_MAX_CHARS),
      facts: {},
      who_decides: 'any admin',
      decisions: [],
      expires_at: null,
    });

    expect(notice.subject.length).toBeLessThanOrEqual(100);
  });
});
