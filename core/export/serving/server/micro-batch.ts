/**
 * Micro-batching's answers (model.ts decides when, and feeds one run from several requests'
 * batches): one run's outputs read as a Scored, and cut back into each request's rows.
 */
import type { OutputData, Scored } from './model.ts';

/** Which ONNX output holds the per-row prediction, by the export's naming. */
const PREDICTION_OUTPUTS = ['label', 'value', 'cluster', 'score'];

/** The output holding the per-row prediction (a run's, or a v2 answer's): by name, else the first. */
export const predictionOutput = <T extends { name: string }>(outputs: T[]): T => outputs.find((o) => PREDICTION_OUTPUTS.includes(o.name)) ?? outputs[0];

/** A Scored from a run's outputs: the prediction and probability outputs picked by name. */
export function scoredOf(rows: number, outputs: OutputData[]): Scored {
  const primary = predictionOutput(outputs);
  const predictions = Array.from(primary.data as ArrayLike<string | number>);
  const proba = outputs.find((o) => o.name === 'probabilities');
  return { rows, outputs, predictions, probabilities: proba?.data as ArrayLike<number> | undefined };
}

/** Rows [start, start + rows) of a run over `total` rows; every output must have a row per input row. */
export function sliceScored(scored: Scored, start: number, rows: number, total: number): Scored {
  const outputs = scored.outputs.map((o) => {
    if (o.shape[0] !== total) throw new Error(`output "${o.name}" has ${o.shape[0]} rows for ${total} input rows`);
    const width = total === 0 ? 0 : o.data.length / total;
    const data = (o.data as Float64Array | string[]).slice(start * width, (start + rows) * width);
    return { ...o, shape: [rows, ...o.shape.slice(1)], data };
  });
  return scoredOf(rows, outputs);
}
