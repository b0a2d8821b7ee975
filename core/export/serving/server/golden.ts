/**
 * Golden requests: held-out rows with the answers Flowline itself gave for them at export time,
 * and how to send them over each protocol. Shared by the replay script (replay.ts) and the tests.
 */
import { predictionOutput } from './micro-batch.ts';

export const GOLDEN_FORMAT = 'flowline.golden-requests';

export interface Golden {
  format: typeof GOLDEN_FORMAT;
  version: 1;
  model_name: string;
  model_version: string;
  /** Where the rows come from, in words ("test side of split node 'split'"). */
  source: string;
  /** Largest absolute difference accepted for numbers (probabilities, regression values). */
  tolerance: number;
  columns: string[];
  rows: Record<string, string | number | boolean | null>[];
  expected: {
    predictions: (string | number)[];
    /** Per row, one probability per class, in `classes` order. */
    probabilities?: number[][];
    classes?: (string | number)[];
  };
}

export type Protocol = 'predict' | 'invocations-split' | 'invocations-records' | 'invocations-csv' | 'v2';

export const PROTOCOLS: Protocol[] = ['v2', 'invocations-split', 'invocations-records', 'invocations-csv', 'predict'];

export interface HttpCall {
  path: string;
  contentType: string;
  body: string;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The golden rows as one request of the given protocol. */
export function goldenRequest(g: Golden, protocol: Protocol, datatypes: Record<string, string>): HttpCall {
  const json = (path: string, body: unknown): HttpCall => ({ path, contentType: 'application/json', body: JSON.stringify(body) });
  switch (protocol) {
    case 'predict':
      return json('/predict', g.rows);
    case 'invocations-records':
      return json('/invocations', { dataframe_records: g.rows });
    case 'invocations-split':
      return json('/invocations', { dataframe_split: { columns: g.columns, data: g.rows.map((r) => g.columns.map((c) => r[c])) } });
    case 'invocations-csv':
      return { path: '/invocations', contentType: 'text/csv', body: `${[g.columns.map(csvCell).join(','), ...g.rows.map((r) => g.columns.map((c) => csvCell(r[c])).join(','))].join('\n')}\n` };
    case 'v2':
      return json(`/v2/models/${encodeURIComponent(g.model_name)}/infer`, {
        id: 'golden',
        parameters: { content_type: 'pd' },
        inputs: g.columns.map((c) => ({
          name: c,
          datatype: datatypes[c] ?? 'FP64',
          shape: [g.rows.length, 1],
          ...(datatypes[c] === 'BYTES' ? { parameters: { content_type: 'str' } } : {}),
          data: g.rows.map((r) => r[c]),
        })),
      });
  }
}

/** Predictions (and probabilities) out of each protocol's answer. */
export function answerOf(protocol: Protocol, body: Record<string, unknown>): { predictions: unknown[]; probabilities?: number[][] } {
  if (protocol === 'predict') {
    const rows = body.predictions as { prediction: unknown; probabilities?: Record<string, number> }[];
    return { predictions: rows.map((r) => r.prediction), probabilities: rows[0]?.probabilities ? rows.map((r) => Object.values(r.probabilities!)) : undefined };
  }
  if (protocol === 'v2') {
    const outputs = body.outputs as { name: string; shape: number[]; data: unknown[] }[];
    const main = predictionOutput(outputs);
    const p = outputs.find((o) => o.name === 'probabilities');
    const k = p?.shape[1] ?? 0;
    return { predictions: main.data, probabilities: p ? Array.from({ length: p.shape[0] }, (_, r) => (p.data as number[]).slice(r * k, r * k + k)) : undefined };
  }
  return { predictions: body.predictions as unknown[] };
}

/** Differences between an answer and the golden expectations, as readable lines (none = match). */
export function compareAnswer(g: Golden, answer: { predictions: unknown[]; probabilities?: number[][] }): string[] {
  const problems: string[] = [];
  const close = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= g.tolerance * Math.max(1, Math.abs(b)) : a === b);
  if (answer.predictions.length !== g.expected.predictions.length) problems.push(`${answer.predictions.length} predictions for ${g.expected.predictions.length} rows`);
  g.expected.predictions.forEach((want, r) => {
    if (problems.length < 5 && !close(answer.predictions[r], want)) problems.push(`row ${r}: got ${JSON.stringify(answer.predictions[r])}, expected ${JSON.stringify(want)}`);
  });
  if (g.expected.probabilities && answer.probabilities) {
    g.expected.probabilities.forEach((want, r) => {
      const got = answer.probabilities![r] ?? [];
      want.forEach((p, j) => {
        if (problems.length < 5 && !close(got[j], p)) problems.push(`row ${r}: probability of ${JSON.stringify(g.expected.classes?.[j] ?? j)} is ${got[j]}, expected ${p}`);
      });
    });
  }
  return problems;
}
