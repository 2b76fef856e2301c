import { ExecutionAlreadyExists, ExecutionLimitExceeded, InvalidName, InvalidToken, TaskTimedOut } from '@aws-sdk/client-sfn';
import { InvalidMessageContents, QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config';
import { PutEventsEntryError } from '../../shared/events/event-bus';
import { retryDelayMs } from '../../shared/outbox/backoff';
import { meaningOf } from '../../shared/outbox/destinations';

const metadata = { $metadata: {}, message: 'm' };

describe('what a failed call means for an outbox message', () => {
  it.each([
    { destination: 'sfn:start-execution', error: new ExecutionAlreadyExists(metadata), meaning: 'delivered' },
    { destination: 'sfn:start-execution', error: new InvalidName(metadata), meaning: 'permanent' },
    { destination: 'sfn:send-task-success', error: new TaskTimedOut(metadata), meaning: 'refused' },
    { destination: 'sfn:send-task-failure', error: new InvalidToken(metadata), meaning: 'refused' },
    { destination: 'sfn:start-execution', error: new ExecutionLimitExceeded(metadata), meaning: 'transient' },
    { destination: 'sqs', error: new InvalidMessageContents(metadata), meaning: 'permanent' },
    { destination: 'sqs', error: Object.assign(new Error('m'), { name: 'AWS.SimpleQueueService.InvalidMessageContents' }), meaning: 'permanent' },
    // The queue URL and the state machine come from the environment: a deploy fixes them, so they are retried.
    { destination: 'sqs', error: new QueueDoesNotExist(metadata), meaning: 'transient' },
    { destination: 'sqs', error: new ConfigError('ALLOCATION_QUEUE_URL is not set'), meaning: 'transient' },
    { destination: 'sqs', error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), meaning: 'transient' },
    // An entry EventBridge refuses for what it holds can never go; a throttled one or a bus not there yet can.
    { destination: 'eventbridge:put-events', error: new PutEventsEntryError('MalformedDetail', 'Detail is malformed.'), meaning: 'permanent' },
    { destination: 'eventbridge:put-events', error: new PutEventsEntryError('InvalidArgument', 'Source is a required argument.'), meaning: 'permanent' },
    { destination: 'eventbridge:put-events', error: Object.assign(new Error('m'), { name: 'ValidationException' }), meaning: 'permanent' },
    { destination: 'eventbridge:put-events', error: new PutEventsEntryError('ThrottlingException', 'Rate exceeded'), meaning: 'transient' },
    { destination: 'eventbridge:put-events', error: Object.assign(new Error('m'), { name: 'ResourceNotFoundException' }), meaning: 'transient' },
    { destination: 'eventbridge:put-events', error: new ConfigError('EVENT_BUS_NAME is not set'), meaning: 'transient' },
    { destination: 'sns:publish', error: Object.assign(new Error('m'), { name: 'InvalidParameterException' }), meaning: 'permanent' },
    { destination: 'sns:publish', error: Object.assign(new Error('m'), { name: 'NotFoundException' }), meaning: 'transient' },
  ] as const)('$destination, $error.name: $meaning', ({ destination, error, meaning }) => {
    expect(meaningOf(destination, error)).toBe(meaning);
  });

  it('is never a refusal or a delivery for a destination that has no such answer', () => {
    expect(meaningOf('sqs', new TaskTimedOut(metadata))).toBe('transient');
    expect(meaningOf('sfn:send-task-success', new ExecutionAlreadyExists(metadata))).toBe('transient');
  });
});

describe('the relay’s backoff', () => {
  it.each([
    { attempts: 1, least: 30_000 },
    { attempts: 2, least: 60_000 },
    { attempts: 3, least: 120_000 },
    { attempts: 7, least: 1_800_000 },
    { attempts: 40, least: 1_800_000 },
  ])('after $attempts failed attempts waits $least ms and at most a fifth more', ({ attempts, least }) => {
    expect(retryDelayMs(attempts, () => 0)).toBe(least);
    expect(retryDelayMs(attempts, () => 0.999_999)).toBe(Math.round(least * 1.2));
  });
});
