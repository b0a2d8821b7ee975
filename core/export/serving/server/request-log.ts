/**
 * The sampled request log: JSON Lines of inputs and predictions, for drift checks. Size-capped:
 * when the file would pass the cap it becomes `<file>.1` (replacing the previous one) and a new
 * file starts, so the log never takes more than twice the cap. Its format is documented in
 * docs/serving-bundle.md ("Request log"); add fields, never rename them.
 */
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import type { Batch } from './decode.ts';
import type { LoadedModel, Scored } from './model.ts';

export interface RequestLogEntry {
  time: string;
  request_id: string;
  route: string;
  model_name: string;
  model_version: string;
  role: string;
  /** answered: the caller got this prediction; shadow: scored for comparison only. */
  mode: 'answered' | 'shadow';
  rows: number;
  /** The validated inputs, by column: numbers (null for missing) or strings. */
  inputs: Record<string, (number | string | null)[]>;
  predictions: (string | number)[];
  /** Per row, one probability per class (classifiers). */
  probabilities?: number[][];
}

export class RequestLogFile {
  private fd: number;
  private size: number;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  /** Append one line (rotating first when it would pass the cap). Returns the rows written. */
  write(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      closeSync(this.fd);
      renameSync(this.path, `${this.path}.1`);
      this.fd = openSync(this.path, 'a');
      this.size = 0;
    }
    writeSync(this.fd, `${line}\n`);
    this.size += bytes;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Decide sampling per request; a share of 1 logs every request, 0 none. */
export function sampled(share: number): boolean {
  return share >= 1 || (share > 0 && Math.random() < share);
}

/** One request's entry: its validated inputs by column, and what `model` predicted for them. */
export function requestLogEntry(request: { id: string; route: string }, model: LoadedModel, mode: 'answered' | 'shadow', batch: Batch, scored: Scored): RequestLogEntry {
  const inputs: RequestLogEntry['inputs'] = {};
  batch.names.forEach((name, i) => {
    const col = batch.columns[i];
    inputs[name] = col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : v)) : [...col];
  });
  const k = model.spec.classes?.length ?? 0;
  const p = scored.probabilities;
  return {
    time: new Date().toISOString(),
    request_id: request.id,
    route: request.route,
    model_name: model.spec.name,
    model_version: model.spec.version,
    role: model.spec.role,
    mode,
    rows: batch.rows,
    inputs,
    predictions: scored.predictions,
    ...(k && p ? { probabilities: Array.from({ length: batch.rows }, (_, r) => Array.from({ length: k }, (_, j) => p[r * k + j])) } : {}),
  };
}
