import { ownConsole } from './own-console';

/** CloudWatch's metric units, as EMF names them. */
export const MetricUnit = {
  Seconds: 'Seconds',
  Microseconds: 'Microseconds',
  Milliseconds: 'Milliseconds',
  Bytes: 'Bytes',
  Kilobytes: 'Kilobytes',
  Megabytes: 'Megabytes',
  Count: 'Count',
  Percent: 'Percent',
  CountPerSecond: 'Count/Second',
  NoUnit: 'None',
} as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

const NAMESPACE = 'TokenStocks';
/** EMF's limits: a line carries at most 100 metrics, a metric at most 100 values, a set at most 29 dimensions. */
const MAX_METRICS = 100;
const MAX_VALUES = 100;
const MAX_DIMENSIONS = 29;

/** POWERTOOLS_METRICS_DISABLED, as Powertools Metrics read it (1, yes, true, on… turn metrics off). */
function metricsDisabled(): boolean {
  const value = process.env.POWERTOOLS_METRICS_DISABLED;
  if (value === undefined) return false;
  if (['1', 'y', 'yes', 't', 'true', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'n', 'no', 'f', 'false', 'off'].includes(value.toLowerCase())) return false;
  throw new Error('Environment variable POWERTOOLS_METRICS_DISABLED must be a boolean');
}

interface StoredMetric {
  unit: MetricUnit;
  value: number | number[];
}

/**
 * CloudWatch Embedded Metric Format lines on stdout, as Powertools Metrics wrote them (its
 * ~16 KB with commons and invoke-store weighed on every worker's cold start): namespace
 * TokenStocks, the default dimensions (`service`, then any set once per environment) and the
 * invocation's own, a metric added twice keeps both values. Metrics are buffered during an
 * invocation and must be flushed before it returns: `flushMetrics()` in a `finally`.
 */
class EmfMetrics {
  readonly #disabled = metricsDisabled();
  #defaultDimensions: Record<string, string>;
  #dimensions: Record<string, string> = {};
  #metrics = new Map<string, StoredMetric>();

  constructor(
    defaultDimensions: Record<string, string>,
    private readonly single = false,
  ) {
    this.#defaultDimensions = { ...defaultDimensions };
  }

  /** Adds dimensions every line of this environment carries (a worker's name). */
  setDefaultDimensions(dimensions: Record<string, string>): this {
    const next = { ...this.#defaultDimensions, ...dimensions };
    this.#checkDimensionCount(Object.keys(next), Object.keys(this.#dimensions));
    this.#defaultDimensions = next;
    return this;
  }

  /** Adds a dimension to this invocation's metrics (cleared when they are published). */
  addDimension(name: string, value: string): this {
    if (name === '' || value === '') {
      ownConsole().warn(`The dimension ${name} doesn't meet the requirements and won't be added. Ensure the dimension name and value are non empty strings`);
      return this;
    }
    this.#checkDimensionCount(Object.keys(this.#defaultDimensions), [...Object.keys(this.#dimensions), name]);
    if (Object.hasOwn(this.#dimensions, name) || Object.hasOwn(this.#defaultDimensions, name)) {
      ownConsole().warn(`Dimension "${name}" has already been added. The previous value will be overwritten.`);
    }
    this.#dimensions[name] = value;
    return this;
  }

  addMetric(name: string, unit: MetricUnit, value: number): this {
    if (name.length < 1 || name.length > 255) throw new RangeError('The metric name should be between 1 and 255 characters');
    if (typeof value !== 'number') throw new RangeError(`${value} is not a valid number`);
    if (!Object.values(MetricUnit).includes(unit)) throw new RangeError(`Invalid metric unit '${unit}'`);
    if (this.#metrics.size >= MAX_METRICS) this.publishStoredMetrics();
    const stored = this.#metrics.get(name);
    if (stored === undefined) this.#metrics.set(name, { unit, value });
    else {
      if (stored.unit !== unit) {
        throw new Error(
          `Metric "${name}" has already been added with unit "${stored.unit}", but we received unit "${unit}". Did you mean to use metric unit "${stored.unit}"?`,
        );
      }
      stored.value = [...(Array.isArray(stored.value) ? stored.value : [stored.value]), value];
      if (stored.value.length === MAX_VALUES) this.publishStoredMetrics();
    }
    if (this.single) this.publishStoredMetrics();
    return this;
  }

  /** A metrics object of its own, with the default dimensions, that publishes each metric as it is added. */
  singleMetric(): EmfMetrics {
    return new EmfMetrics(this.#defaultDimensions, true);
  }

  hasStoredMetrics(): boolean {
    return this.#metrics.size > 0;
  }

  clearMetrics(): void {
    this.#metrics = new Map();
  }

  clearDimensions(): void {
    this.#dimensions = {};
  }

  /** The EMF line of the metrics stored so far. */
  serializeMetrics() {
    const dimensionNames = [...new Set([...Object.keys(this.#defaultDimensions), ...Object.keys(this.#dimensions)])];
    const values = Object.fromEntries([...this.#metrics].map(([name, { value }]) => [name, value]));
    for (const name of Object.keys(values)) {
      if (dimensionNames.includes(name)) throw new Error(`EMF key collision on "${name}": registered as both a metric (number) and a dimension (string)`);
    }
    return {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: NAMESPACE,
            Dimensions: dimensionNames.length > 0 ? [dimensionNames] : [],
            Metrics: [...this.#metrics].map(([name, { unit }]) => ({
              Name: name,
              Unit: unit,
            })),
          },
        ],
      },
      ...this.#defaultDimensions,
      ...this.#dimensions,
      ...values,
    };
  }

  /** Writes the stored metrics as one line (unless POWERTOOLS_METRICS_DISABLED), then forgets them and this invocation's dimensions. */
  publishStoredMetrics(): this {
    try {
      if (!this.#disabled && this.hasStoredMetrics()) ownConsole().log(JSON.stringify(this.serializeMetrics()));
    } finally {
      this.clearMetrics();
      this.clearDimensions();
    }
    return this;
  }

  #checkDimensionCount(defaults: string[], own: string[]): void {
    if (new Set([...defaults, ...own]).size > MAX_DIMENSIONS) throw new RangeError(`The number of metric dimensions must be lower than ${MAX_DIMENSIONS}`);
  }
}

/** One emitter per process. */
export const metrics = new EmfMetrics({
  service: process.env.POWERTOOLS_SERVICE_NAME || 'tokenstocks',
});

/** Writes the buffered metrics as one EMF line; nothing (and no warning) when there are none. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
