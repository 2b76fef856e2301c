import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { workers } from '../functions/workers';
import { pollOnce, toRecord } from '../local/event-source';
import { workerFunction } from '../local/lambda/functions';
import { createLambdaRuntime } from '../local/lambda/runtime';

/**
 * Child process: the allocation worker fed from the queue by the same poller `npm start` uses,
 * from the first message until the queue stays empty. Prints its own peak RSS, so the figure is
 * the worker's alone.
 */
const queue = { url: process.env.ALLOCATION_QUEUE_URL ?? '', arn: process.env.ALLOCATION_QUEUE_ARN ?? '' };
const sqs = new SQSClient({});
const runtime = createLambdaRuntime();
let deliveries = 0;
// Warm before the first message, as the bench means it (bench/allocation.ts): an environment that
// has served a message before, its bundle imported and its database client connected, so neither
// the cold start nor the client's first call (~0.1–0.3 s through the Data API's SDK) is timed as
// allocation. The message names an event that does not exist: the worker reads it and lets it go.
const warmUpMessage = { MessageId: randomUUID(), ReceiptHandle: 'warm-up', Body: JSON.stringify({ event_id: randomUUID() }) };
const warmUp = await runtime.invoke(workerFunction('calculateAllocations', workers.calculateAllocations), {
  Records: [toRecord(warmUpMessage, queue.arn, process.env.AWS_REGION ?? 'us-east-1')],
});
if (!warmUp.ok) throw new Error(`the worker's warm-up invocation failed: ${warmUp.error.errorType}: ${warmUp.error.errorMessage}`);
// Waits for the first message however long the bench takes to send it (the bench stops it if none comes).
for (let idle = 0; deliveries === 0 || idle < 3; ) {
  const received = await pollOnce(sqs, { name: 'calculateAllocations', worker: workers.calculateAllocations, runtime, queue }, { waitTimeSeconds: 1 });
  deliveries += received;
  idle = received === 0 ? idle + 1 : 0;
}
await runtime.stop();
sqs.destroy();
process.stdout.write(`${JSON.stringify({ deliveries, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
