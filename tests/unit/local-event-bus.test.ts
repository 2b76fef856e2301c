import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySize, type LocalEventBus, PUT_EVENTS_LIMITS, startLocalEventBus } from '../../local/event-bus';

/** The local EventBridge endpoint (local/event-bus.ts), called through the AWS SDK as the relay calls it. */
let bus: LocalEventBus;
let client: EventBridgeClient;

beforeAll(async () => {
  bus = await startLocalEventBus({ busName: 'test-bus' });
  client = new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await bus.stop();
});

const entry = (overrides: Record<string, unknown> = {}) => ({
  EventBusName: 'test-bus',
  Source: 'tokenstocks.capital-engine',
  DetailType: 'withdrawal.paid',
  Detail: JSON.stringify({ event_id: crypto.randomUUID() }),
  ...overrides,
});

const put = (entries: Record<string, unknown>[]) => client.send(new PutEventsCommand({ Entries: entries as never }));

describe('the local EventBridge endpoint', () => {
  it('accepts an event, answering its id, and keeps it with its time', async () => {
    // Prepare
    const time = new Date('2026-03-31T12:00:00.000Z');
    const before = bus.events.length;

    // Act
    const answer = await put([entry({ Time: time })]);

    // Assess
    expect(answer).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(bus.events.slice(before)).toEqual([
      expect.objectContaining({ eventId: answer.Entries?.[0]?.EventId, eventBusName: 'test-bus', detailType: 'withdrawal.paid', time }),
    ]);
  });

  it.each([
    ['without Source', { Source: undefined }, 'InvalidArgument', /Source is a required argument/],
    ['without DetailType', { DetailType: undefined }, 'InvalidArgument', /DetailType is a required argument/],
    ['without Detail', { Detail: undefined }, 'InvalidArgument', /Detail is a required argument/],
    ['with a Detail that is not JSON', { Detail: '{"a":' }, 'MalformedDetail', /malformed/],
    ['with a Detail that is a JSON array', { Detail: '[1]' }, 'MalformedDetail', /malformed/],
  ])('refuses an entry %s, and only that one', async (_case, overrides, code, message) => {
    // Act
    const answer = await put([entry(overrides), entry()]);

    // Assess
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]).toMatchObject({ ErrorCode: code, ErrorMessage: expect.stringMatching(message) });
    expect(answer.Entries?.[1]).toMatchObject({ EventId: expect.any(String) });
  });

  it.each([
    ['more than 10 entries', () => Array.from({ length: PUT_EVENTS_LIMITS.maxEntries + 1 }, () => entry()), /less than or equal to 10/],
    ['more than 256 KB in all', () => [entry({ Detail: JSON.stringify({ text: 'x'.repeat(200_000) }) }), entry({ Detail: JSON.stringify({ text: 'y'.repeat(70_000) }) })], /over the limit/],
    ['no entries', () => [], /must not be null/],
    ['another bus', () => [entry({ EventBusName: 'other-bus' })], /does not exist/],
  ])('refuses a call with %s, as a whole', async (_case, entries, message) => {
    // Act and Assess
    await expect(put(entries())).rejects.toMatchObject({ name: expect.stringMatching(/ValidationException|ResourceNotFoundException/), message: expect.stringMatching(message) });
  });

  it('counts an entry’s size as EventBridge does: 14 bytes for a time and the UTF-8 bytes of its strings', () => {
    expect(entrySize({ Source: 'a', DetailType: 'bb', Detail: '{"€":1}', Resources: ['arn:x'], Time: 1 })).toBe(14 + 1 + 2 + 9 + 5);
  });

  it('accepts a call of exactly 10 entries and 256 KB', async () => {
    // Prepare: nine small entries and one that makes up the rest
    const small = Array.from({ length: 9 }, () => entry({ Detail: '{}' }));
    const used = small.reduce((sum, item) => sum + entrySize(item), 0);
    const last = entry({ Detail: '' });
    const room = PUT_EVENTS_LIMITS.maxTotalBytes - used - entrySize(last) - '{"t":""}'.length;
    const full = [...small, entry({ Detail: JSON.stringify({ t: 'z'.repeat(room) }) })];

    // Act
    const answer = await put(full);

    // Assess
    expect(full.reduce((sum, item) => sum + entrySize(item), 0)).toBe(PUT_EVENTS_LIMITS.maxTotalBytes);
    expect(answer.FailedEntryCount).toBe(0);
  });
});
