import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBusName } from '../config';
import type { CallOptions } from '../workflow/step-functions';

/** Every domain event's Source on EventBridge; the bus is the stage's own. */
export const EVENT_SOURCE = 'tokenstocks.capital-engine';

type Sdk = typeof import('@aws-sdk/client-eventbridge');
let loaded: Promise<{ client: EventBridgeClient; sdk: Sdk }> | undefined;

/** The EventBridge client, loaded on first use (only the relay delivers events). */
const eventBridge = () => (loaded ??= import('@aws-sdk/client-eventbridge').then((sdk) => ({ client: new sdk.EventBridgeClient({}), sdk })));

/**
 * EventBridge's refusal of one entry of a PutEvents that succeeded as a call: named after its
 * ErrorCode (`MalformedDetail`, `InvalidArgument`, `ThrottlingException` …) so that the outbox
 * reads it as it reads a call's error.
 */
export class PutEventsEntryError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

/**
 * Puts one event on the stage's bus, `Time` set to when it occurred. Resolves once EventBridge
 * has accepted it; throws the call's error, or the entry's (PutEventsEntryError).
 */
export async function putEvent(entry: { detailType: string; detail: Record<string, unknown> }, options: CallOptions = {}): Promise<void> {
  const { client, sdk } = await eventBridge();
  const occurredAt = typeof entry.detail.occurred_at === 'string' ? new Date(entry.detail.occurred_at) : undefined;
  const answer = await client.send(
    new sdk.PutEventsCommand({
      Entries: [{ EventBusName: eventBusName(), Source: EVENT_SOURCE, DetailType: entry.detailType, Detail: JSON.stringify(entry.detail), Time: occurredAt }],
    }),
    options,
  );
  const refused = answer.Entries?.find((result) => result.ErrorCode !== undefined && result.ErrorCode !== null);
  if ((answer.FailedEntryCount ?? 0) > 0 || refused !== undefined) {
    throw new PutEventsEntryError(refused?.ErrorCode ?? 'InternalFailure', refused?.ErrorMessage ?? 'EventBridge did not accept the entry');
  }
}
