import { DataApiError } from './errors';

export type ClusterState = 'available' | 'paused' | 'resuming';

export interface ClusterOptions {
  /** Pause once no call has arrived and no transaction has been open for this long (minCapacity 0); never when unset. */
  autoPauseAfterMs?: number;
  /** How long a paused cluster takes to resume once a call wakes it; AWS quotes about 15 s. */
  resumeMs?: number;
  /** Whether sessions are open (transactions): Aurora never pauses an instance with connections. */
  hasOpenSessions?: () => boolean;
  now?: () => number;
}

const TYPICAL_RESUME_MS = 15_000;

/**
 * The Aurora Serverless v2 instance behind the emulator, as its auto-pause feature behaves: a
 * paused instance answers every Data API call with DatabaseResumingException, the first of
 * them starts the resume, and calls succeed again once it has resumed. Paused by idling past
 * `autoPauseAfterMs`, or at once with `pause()`.
 */
export class ServerlessCluster {
  #state: ClusterState = 'available';
  #resumeMs: number;
  #resumedAt = 0;
  #lastActivity: number;
  #callsInFlight = 0;

  constructor(private readonly options: ClusterOptions = {}) {
    this.#resumeMs = options.resumeMs ?? TYPICAL_RESUME_MS;
    this.#lastActivity = this.#now();
  }

  get state(): ClusterState {
    this.#settle();
    return this.#state;
  }

  /** Pauses now, as auto-pause would; the next call starts a resume taking `resumeMs`. */
  pause(options: { resumeMs?: number } = {}): void {
    this.#state = 'paused';
    this.#resumeMs = options.resumeMs ?? this.options.resumeMs ?? TYPICAL_RESUME_MS;
  }

  /**
   * Lets a call through, or refuses it while the instance is paused or resuming. Returns the
   * callback that marks the call finished.
   */
  admit(resourceArn: string): () => void {
    this.#settle();
    if (this.#state === 'paused') {
      this.#state = 'resuming';
      this.#resumedAt = this.#now() + this.#resumeMs;
    }
    if (this.#state === 'resuming') {
      // The message AWS answers with (aws-sdk-js-v3#6701); the status is the model's 400.
      throw new DataApiError(
        'DatabaseResumingException',
        `The Aurora DB instance ${resourceArn} is resuming after being auto-paused. Please wait a few seconds and try again.`,
      );
    }
    this.#callsInFlight += 1;
    this.#lastActivity = this.#now();
    return () => {
      this.#callsInFlight -= 1;
      this.#lastActivity = this.#now();
    };
  }

  /** Applies what time has done: a resume finishing, or an idle instance pausing. */
  #settle(): void {
    const now = this.#now();
    if (this.#state === 'resuming' && now >= this.#resumedAt) {
      this.#state = 'available';
      this.#lastActivity = now;
    }
    const { autoPauseAfterMs, hasOpenSessions } = this.options;
    const idle = this.#callsInFlight === 0 && !(hasOpenSessions?.() ?? false);
    if (this.#state === 'available' && autoPauseAfterMs !== undefined && idle && now - this.#lastActivity >= autoPauseAfterMs) {
      this.pause();
    }
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
