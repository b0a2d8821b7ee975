/**
 * Prometheus metrics without a client library: counters, gauges and histograms keyed by their
 * label values, rendered in the text exposition format (0.0.4). With several worker processes each
 * keeps its own numbers; the primary asks every worker for a snapshot and sums them (merge), which
 * is what Prometheus' multiprocess mode does with files.
 */

type Kind = 'counter' | 'gauge' | 'histogram';

interface Family {
  name: string;
  help: string;
  kind: Kind;
  labels: string[];
  buckets?: number[];
  /** label values joined by \u0001 → value (counter/gauge) or [bucket counts..., +Inf count, sum]. */
  series: Map<string, number | number[]>;
}

export type Snapshot = { name: string; series: [string, number | number[]][] }[];

const SEP = '\u0001';

const DIFFERENCE_BUCKETS = [1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Registry {
  private readonly families = new Map<string, Family>();
  /**
   * Series keys of frozen label arrays, by the array itself: the serving path passes the same
   * frozen arrays on every request (metric-labels.ts), so each is joined once. Other arrays are
   * joined each time (remembering throwaway arrays would cost more than joining them).
   */
  private readonly keys = new WeakMap<readonly string[], string>();

  private key(labels: readonly string[]): string {
    if (!Object.isFrozen(labels)) return labels.join(SEP);
    let key = this.keys.get(labels);
    if (key === undefined) this.keys.set(labels, (key = labels.join(SEP)));
    return key;
  }

  define(name: string, kind: Kind, help: string, labels: string[], buckets?: number[]): void {
    this.families.set(name, { name, kind, help, labels, buckets, series: new Map() });
  }

  inc(name: string, labels: readonly string[], by = 1): void {
    const f = this.families.get(name)!;
    const key = this.key(labels);
    f.series.set(key, ((f.series.get(key) as number | undefined) ?? 0) + by);
  }

  set(name: string, labels: readonly string[], value: number): void {
    this.families.get(name)!.series.set(labels.join(SEP), value);
  }

  observe(name: string, labels: readonly string[], value: number): void {
    const f = this.families.get(name)!;
    const key = this.key(labels);
    const buckets = f.buckets!;
    let h = f.series.get(key) as number[] | undefined;
    if (!h) f.series.set(key, (h = new Array<number>(buckets.length + 2).fill(0)));
    let b = 0;
    while (b < buckets.length && value > buckets[b]) b++;
    h[b]++;
    h[buckets.length + 1] += value;
  }

  /** Plain data another process can send over IPC. */
  snapshot(): Snapshot {
    return [...this.families.values()].map((f) => ({ name: f.name, series: [...f.series].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]) }));
  }

  /** Add another process's snapshot into this (empty) registry. */
  merge(snapshot: Snapshot): void {
    for (const s of snapshot) {
      const f = this.families.get(s.name);
      if (!f) continue;
      for (const [key, value] of s.series) {
        const have = f.series.get(key);
        if (Array.isArray(value)) {
          const h = (have as number[] | undefined) ?? new Array<number>(value.length).fill(0);
          for (let i = 0; i < value.length; i++) h[i] += value[i];
          f.series.set(key, h);
        } else f.series.set(key, ((have as number | undefined) ?? 0) + value);
      }
    }
  }

  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.kind}`);
      for (const [key, value] of f.series) {
        const labels = key === '' && f.labels.length === 0 ? [] : key.split(SEP).map((v, i) => `${f.labels[i]}="${escapeLabel(v)}"`);
        if (!Array.isArray(value)) {
          lines.push(`${f.name}${braces(labels)} ${formatNumber(value)}`);
          continue;
        }
        const buckets = f.buckets!;
        let cumulative = 0;
        for (let b = 0; b < buckets.length; b++) {
          cumulative += value[b];
          lines.push(`${f.name}_bucket${braces([...labels, `le="${formatNumber(buckets[b])}"`])} ${cumulative}`);
        }
        cumulative += value[buckets.length];
        lines.push(`${f.name}_bucket${braces([...labels, 'le="+Inf"'])} ${cumulative}`);
        lines.push(`${f.name}_sum${braces(labels)} ${formatNumber(value[buckets.length + 1])}`);
        lines.push(`${f.name}_count${braces(labels)} ${cumulative}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function braces(labels: string[]): string {
  return labels.length ? `{${labels.join(',')}}` : '';
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The families this server exposes (one registry per process, same definitions everywhere). */
export function servingRegistry(valueBuckets: number[]): Registry {
  const r = new Registry();
  const model = ['model_name', 'model_version', 'role'];
  r.define('flowline_http_requests_total', 'counter', 'HTTP requests answered, by route and status code.', ['route', 'status']);
  r.define('flowline_http_request_duration_seconds', 'histogram', 'Time from the request to the end of its answer, by route.', ['route'], LATENCY_BUCKETS);
  r.define('flowline_http_requests_in_flight', 'gauge', 'Requests being answered now.', []);
  r.define('flowline_model_requests_total', 'counter', 'Scoring requests per model; mode is answered (the caller got this model\'s answer) or shadow.', [...model, 'mode']);
  r.define('flowline_model_rows_total', 'counter', 'Rows scored per model.', [...model, 'mode']);
  r.define('flowline_model_errors_total', 'counter', 'Scoring failures inside the model runtime (not bad input).', [...model, 'mode']);
  r.define('flowline_model_runs_total', 'counter', 'onnxruntime runs per model: below the scoring requests when micro-batching scores several in one run.', model);
  r.define('flowline_model_inference_duration_seconds', 'histogram', 'Time inside onnxruntime per request, per model.', [...model, 'mode'], LATENCY_BUCKETS);
  r.define('flowline_model_predictions_total', 'counter', 'Predicted classes (or clusters) per model: the prediction distribution.', [...model, 'mode', 'class']);
  r.define('flowline_model_prediction_value', 'histogram', 'Predicted values per model (regression, anomaly scores).', [...model, 'mode'], valueBuckets);
  r.define('flowline_model_ready', 'gauge', '1 once the model is loaded and has scored its warm-up row.', model);
  r.define('flowline_shadow_comparisons_total', 'counter', 'Rows scored by both models in shadow mode, by whether their predictions agree.', ['champion', 'challenger', 'result']);
  r.define('flowline_shadow_abs_difference', 'histogram', 'Absolute difference between champion and challenger values in shadow mode (regression).', ['champion', 'challenger'], DIFFERENCE_BUCKETS);
  r.define('flowline_shadow_dropped_total', 'counter', 'Shadow scorings skipped because FLOWLINE_SHADOW_QUEUE were already waiting.', []);
  r.define('flowline_request_log_rows_total', 'counter', 'Rows written to the sampled request log.', []);
  r.define('process_resident_memory_bytes', 'gauge', 'Resident memory of the server processes, summed.', []);
  return r;
}
