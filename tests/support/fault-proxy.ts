import { once } from 'node:events';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, vi } from 'vitest';
import { queues } from '../../shared/queue/queues';

/**
 * An HTTP proxy in front of a real endpoint (the SQS emulator, the local Step Functions
 * endpoint) that can refuse calls: the connection of a refused call is dropped, as when the
 * service is unreachable. Nothing of ours is replaced; the calls fail on the wire.
 */
export interface FaultProxy {
  url: string;
  /** Refuses every call until `up()`. */
  down(): void;
  up(): void;
  /** Refuses the next `count` calls, then passes calls on again. */
  refuseNext(count: number): void;
  /** Passes calls on to another endpoint from now on (the service came back as a new instance); no argument: the first one. */
  retarget(target?: string): void;
  /** Calls refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let upstream = new URL(target);
  let down = false;
  let toRefuse = 0;
  let refused = 0;
  const server = createServer((incoming, outgoing) => {
    if (down || toRefuse > 0) {
      if (!down) toRefuse -= 1;
      refused += 1;
      incoming.socket.destroy();
      return;
    }
    const call = forward(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    call.on('error', () => incoming.socket.destroy());
    incoming.pipe(call);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down: () => void (down = true),
    up: () => void ((down = false), (toRefuse = 0)),
    refuseNext: (count) => void (toRefuse = count),
    retarget: (next = target) => void (upstream = new URL(next)),
    get refused() {
      return refused;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * For the test file, after useQueues() and useWorkflow(): points every SQS and Step Functions
 * call of the application (the queue URLs, the SDK endpoints) at a fault proxy in front of the
 * real endpoint.
 */
export function useFaultProxies() {
  let sqs: FaultProxy;
  let sfn: FaultProxy;
  beforeAll(async () => {
    // The test's own SQS client polls the emulator directly while the application's goes through
    // the proxy; the SDK warns about the two addresses on every call. Only that warning is dropped.
    const warn = console.warn.bind(console);
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('differs from SQSClient resolved endpoint')) warn(...args);
    });
    const sqsTarget = process.env.AWS_ENDPOINT_URL_SQS ?? '';
    sqs = await startFaultProxy(sqsTarget);
    process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
    for (const { envVar } of Object.values(queues)) process.env[envVar] = (process.env[envVar] ?? '').replace(sqsTarget, sqs.url);
    sfn = await startFaultProxy(process.env.AWS_ENDPOINT_URL_SFN ?? '');
    process.env.AWS_ENDPOINT_URL_SFN = sfn.url;
  });
  afterAll(async () => {
    await sqs.close();
    await sfn.close();
  });
  return {
    get sqs() {
      return sqs;
    },
    get sfn() {
      return sfn;
    },
  };
}
