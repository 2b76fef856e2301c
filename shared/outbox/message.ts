import type { Selectable } from 'kysely';
import * as z from '../zod';
import type { OutboxMessagesTable } from '../db/schema';
import { queues } from '../queue/queues';
import { fromJsonColumn } from '../db/json-columns';

/**
 * Where an outbox message goes and what it carries. Each destination is one call to another
 * service; `shared/outbox/destinations.ts` makes it. A new one needs a sender there and the
 * destination CHECK of a migration.
 */
const json = () => z.record(z.string(), z.unknown());
// Each built when a message to it is first read (deliveryOf): a producer delivers to one or two.
const destinationSchemas = {
  sqs: () => z.object({ queue: z.enum(Object.keys(queues) as [keyof typeof queues]), body: json() }),
  /** The state machine comes from the environment of whoever delivers: the message names the execution. */
  'sfn:start-execution': () => z.object({ name: z.string().check(z.minLength(1), z.maxLength(80)), input: json() }),
  'sfn:send-task-success': () => z.object({ task_token: z.string().check(z.minLength(1)), output: json() }),
  'sfn:send-task-failure': () => z.object({ task_token: z.string().check(z.minLength(1)), error: z.string(), cause: z.string() }),
  /** The bus and the source come from the environment of whoever delivers (shared/events/event-bus.ts). */
  'eventbridge:put-events': () => z.object({ detail_type: z.string().check(z.minLength(1), z.maxLength(128)), detail: json() }),
  /** The topic comes from the environment of whoever delivers; SNS takes a subject of 100 characters at most. */
  'sns:publish': () => z.object({ subject: z.string().check(z.minLength(1), z.maxLength(100)), message: z.string().check(z.minLength(1)) }),
} as const;

export type Destination = keyof typeof destinationSchemas;
type DestinationSchema<D extends Destination> = ReturnType<(typeof destinationSchemas)[D]>;
export type Delivery = { [D in Destination]: { destination: D; payload: z.output<DestinationSchema<D>> } }[Destination];

const built = new Map<Destination, z.ZodMiniType>();
function destinationSchema(destination: Destination): z.ZodMiniType {
  const schema = built.get(destination) ?? destinationSchemas[destination]();
  built.set(destination, schema);
  return schema;
}

/** A message to hand off: what it does, the row it is about, and its delivery. */
export type OutboxMessage = Delivery & {
  /** What the message does, e.g. `redemption.approve`: refusal consequences are looked up by it. */
  kind: string;
  subjectId: string;
};

export type OutboxRow = Selectable<OutboxMessagesTable>;

/** A stored row as the message it carries; a payload the schema refuses is a message that can never be sent. */
export function deliveryOf(row: OutboxRow): Delivery {
  return { destination: row.destination, payload: fromJsonColumn(destinationSchema(row.destination), row.payload) } as Delivery;
}
