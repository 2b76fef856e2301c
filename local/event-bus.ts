import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local EventBridge bus: PutEvents over the AWS JSON 1.1 protocol, what the AWS SDK speaks, so
 * the relay's real SDK call runs end to end (npm has no EventBridge emulator). It checks a call
 * as EventBridge does and keeps and reports each event it accepts; nothing subscribes to it.
 */

/** EventBridge's limits on one PutEvents call. */
export const PUT_EVENTS_LIMITS = { maxEntries: 10, maxTotalBytes: 256 * 1024 } as const;

export interface AcceptedEvent {
  eventId: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  time: Date;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export class EventBridgeApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);

/**
 * An entry's size as EventBridge counts it against the 256 KB of a call: 14 bytes for a `Time`,
 * and the UTF-8 bytes of Source, DetailType, Detail and each of Resources.
 */
export function entrySize(entry: Record<string, unknown>): number {
  const resources = Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, resource) => sum + bytes(resource), 0) : 0;
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + resources;
}

const invalid = (parameter: string): EntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
});

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PutEvents as EventBridge answers it, for a bus of this name: the whole call refused
 * (EventBridgeApiError: no entries, more than 10, more than 256 KB, another bus), or an answer per
 * entry: an EventId, or why it was refused (Source, DetailType or Detail missing: InvalidArgument;
 * Detail not a JSON object: MalformedDetail).
 */
export function putEvents(body: Record<string, unknown>, busName: string, now: Date = new Date()) {
  const entries = body.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new EventBridgeApiError('ValidationException', "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length > PUT_EVENTS_LIMITS.maxEntries) {
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value '[${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_LIMITS.maxEntries}`,
    );
  }
  const total = entries.reduce((sum: number, entry) => sum + entrySize(entry as Record<string, unknown>), 0);
  if (total > PUT_EVENTS_LIMITS.maxTotalBytes) throw new EventBridgeApiError('ValidationException', 'Total size of the entries in the request is over the limit.');

  const accepted: AcceptedEvent[] = [];
  const results = (entries as Record<string, unknown>[]).map((entry): EntryResult => {
    const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
    if (bus !== busName && !bus.endsWith(`:event-bus/${busName}`)) {
      throw new EventBridgeApiError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
    }
    for (const parameter of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[parameter] !== 'string' || entry[parameter] === '') return invalid(parameter);
    }
    const detail = parseDetail(entry.Detail as string);
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const event: AcceptedEvent = {
      eventId: randomUUID(),
      eventBusName: busName,
      source: entry.Source as string,
      detailType: entry.DetailType as string,
      detail,
      // The JSON protocol sends timestamps as epoch seconds.
      time: typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : now,
    };
    accepted.push(event);
    return { EventId: event.eventId };
  });
  const failed = results.filter((result) => 'ErrorCode' in result).length;
  return { answer: { FailedEntryCount: failed, Entries: results }, accepted };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LocalEventBus {
  endpoint: string;
  busName: string;
  /** Every event accepted, oldest first. */
  readonly events: readonly AcceptedEvent[];
  /** What points the AWS SDK and the relay at this bus. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Serves PutEvents for one bus on 127.0.0.1 (`port` 0: any free one); `onEvent` is told of each
 * event accepted (`npm start` logs it).
 */
export async function startLocalEventBus(options: { port?: number; busName?: string; onEvent?: (event: AcceptedEvent) => void } = {}): Promise<LocalEventBus> {
  const busName = options.busName ?? 'tokenstocks-local';
  const events: AcceptedEvent[] = [];
  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown, type?: string) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(type === undefined ? {} : { 'x-amzn-errortype': type }) });
      response.end(JSON.stringify(body));
    };
    const fail = (type: string, message: string) => reply(400, { __type: type, message }, type);
    try {
      const operation = String(request.headers['x-amz-target'] ?? '');
      const text = await readBody(request);
      if (operation !== 'AWSEvents.PutEvents') return fail('UnknownOperationException', `${operation} is not supported by the local event bus`);
      let body: unknown;
      try {
        body = JSON.parse(text === '' ? '{}' : text);
      } catch {
        return fail('SerializationException', 'The request body is not JSON');
      }
      const { answer, accepted } = putEvents(body as Record<string, unknown>, busName);
      for (const event of accepted) {
        events.push(event);
        options.onEvent?.(event);
      }
      reply(200, answer);
    } catch (error) {
      if (error instanceof EventBridgeApiError) fail(error.type, error.message);
      else reply(500, { __type: 'InternalException', message: (error as Error).message }, 'InternalException');
    }
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    busName,
    events,
    // The SDK v3 takes a service's endpoint from AWS_ENDPOINT_URL_<SERVICE ID>.
    env: { EVENT_BUS_NAME: busName, AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
