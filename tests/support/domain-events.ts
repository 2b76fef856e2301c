import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { getDb } from '../../shared/db/client';
import type { Api, TestUser } from './api';
import { type FaultProxy, startFaultProxy } from './fault-proxy';

export interface RecordedEvent {
  id: string;
  type: string;
  subject_id: string;
  detail: Record<string, any>;
}

/** Every domain event recorded, in the feed's order (read from the table: nothing held back). */
export async function recordedEvents(filter: { subjectId?: string } = {}): Promise<RecordedEvent[]> {
  const { rows } = await sql<RecordedEvent>`
    SELECT id::text AS id, type, subject_id::text AS subject_id, detail FROM domain_events
    WHERE ${filter.subjectId === undefined ? sql`true` : sql`subject_id = ${filter.subjectId}::uuid`}
    ORDER BY xact_id, seq`.execute(getDb());
  return rows.map((row) => ({ ...row, detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail }));
}

/** The types of the events about a subject, in order. */
export const typesOf = async (subjectId: string) => (await recordedEvents({ subjectId })).map((event) => event.type);

/** Each outbox message that hands a domain event to EventBridge: the event's id, and what it carries. */
export async function eventHandoffs() {
  const { rows } = await sql<{ subject_id: string; status: string; payload: any }>`
    SELECT subject_id::text AS subject_id, status, payload FROM outbox_messages WHERE kind = 'domain-event.publish'
    ORDER BY created_at, id`.execute(getDb());
  return rows.map((row) => ({ ...row, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload }));
}

/** One page of GET /api/events as `admin`. */
export async function feedPage(api: Api, admin: TestUser, query: Record<string, string | number> = {}) {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]));
  const response = await api.get(`/api/events${search.size === 0 ? '' : `?${search}`}`, { as: admin });
  if (response.status !== 200) throw new Error(`GET /api/events: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { items: Array<{ id: string; type: string; subject_id: string; occurred_at: string; detail: Record<string, any> }>; next_cursor: string | null };
}

/**
 * Reads the feed from `after` until at least `count` events have come or `timeoutMs` passes: the
 * feed holds back events while an older transaction runs anywhere on the server, and other test
 * files share it.
 */
export async function readFeedUntil(
  api: Api,
  admin: TestUser,
  count: number,
  options: { after?: string; type?: string; limit?: number; timeoutMs?: number } = {},
) {
  const items: Awaited<ReturnType<typeof feedPage>>['items'] = [];
  let cursor = options.after;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (items.length < count && Date.now() < deadline) {
    const page = await feedPage(api, admin, {
      ...(cursor === undefined ? {} : { after: cursor }),
      ...(options.type === undefined ? {} : { type: options.type }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (page.items.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { items, cursor };
}

/**
 * A local EventBridge bus for the test file (local/event-bus.ts), its environment set for the
 * relay; with `faults`, reached through a proxy that can refuse calls (fault-proxy.ts).
 */
export function useEventBus(options: { faults?: boolean } = {}) {
  let bus: LocalEventBus;
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    bus = await startLocalEventBus();
    Object.assign(process.env, bus.env);
    if (options.faults === true) {
      proxy = await startFaultProxy(bus.endpoint);
      process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = proxy.url;
    }
  });
  afterAll(async () => {
    await proxy?.close();
    await bus.stop();
  });
  return {
    /** The proxy in front of the bus (with `faults`). */
    get faults(): FaultProxy {
      if (proxy === undefined) throw new Error('useEventBus({ faults: true }) puts a proxy in front of the bus');
      return proxy;
    },
    /** Every event the bus accepted, oldest first. */
    get events() {
      return bus.events;
    },
    get endpoint() {
      return bus.endpoint;
    },
  };
}

/**
 * An SQS queue subscribed to the approvers' topic in the emulator (useQueues), through the SNS
 * and SQS wire protocols, as an e-mail subscription would be on AWS: what the topic is sent, it holds.
 */
export async function approversInbox(name = `approvers-inbox-${Date.now()}`) {
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS ?? '';
  const sqs = new SQSClient({});
  const sns = new SNSClient({});
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  // Path-style on the emulator's address, as local/queues.ts does.
  const url = `${endpoint}${new URL(created.QueueUrl ?? '').pathname}`;
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn: process.env.APPROVERS_TOPIC_ARN, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn }));
  return {
    /** The notifications received so far: each SNS envelope's subject and message. */
    async receive(): Promise<Array<{ subject: string; message: string }>> {
      const received: Array<{ subject: string; message: string }> = [];
      for (;;) {
        const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        const messages = answer.Messages ?? [];
        if (messages.length === 0) return received;
        for (const message of messages) {
          const envelope = JSON.parse(message.Body ?? '{}') as { Subject?: string; Message?: string };
          received.push({ subject: envelope.Subject ?? '', message: envelope.Message ?? '' });
        }
      }
    },
    close() {
      sqs.destroy();
      sns.destroy();
    },
  };
}
